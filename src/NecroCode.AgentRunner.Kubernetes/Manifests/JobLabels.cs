namespace NecroCode.AgentRunner.Kubernetes.Manifests;

/// <summary>The labels and annotations on what the environment creates (Job, Secret, pod), and the pod's fixed paths.</summary>
internal static class JobLabels
{
    /// <summary>Label: the host runner's id (<see cref="KubernetesOptions.RunnerId"/>); the leftover sweep selects by it.</summary>
    public const string Runner = "necrocode.dev/runner";

    /// <summary>Label: the Job's name, on the Job, its Secret and its pods.</summary>
    public const string Job = "necrocode.dev/job";

    /// <summary>Label: <c>necrocode-runner</c>.</summary>
    public const string AppName = "app.kubernetes.io/name";

    /// <summary>Label: <c>necrocode</c>.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Annotation: the task (<c>spec/task</c>).</summary>
    public const string Task = "necrocode.dev/task";

    /// <summary>Annotation: the runner id the run writes to the registry under.</summary>
    public const string Writer = "necrocode.dev/writer";

    /// <summary>Annotation: the host process that created the Job (<c>host/pid/start</c>); a dead owner's Job is a leftover.</summary>
    public const string Owner = "necrocode.dev/owner";

    /// <summary>The runner's container.</summary>
    public const string Container = "runner";

    /// <summary>Where the task file is mounted (from the Secret).</summary>
    public const string TaskFolder = "/necrocode/task";

    /// <summary>The task's slot inside the pod: the workspace volume, empty at start; the runner clones origin into it.</summary>
    public const string SlotPath = "/necrocode/workspace";

    /// <summary>The runner's file-system root inside the pod (its own registry files, journals, logs).</summary>
    public const string StatePath = "/necrocode/state";

    /// <summary>The Secret's key holding the task file.</summary>
    public const string TaskKey = "task.json";

    /// <summary>The prefix of the Secret's keys holding secret files (the file's name follows).</summary>
    public const string SecretKeyPrefix = "secret.";
}
