namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>
/// Settings of Kubernetes Job mode (<see cref="KubernetesExecutionEnvironment"/>): where and how each task's Job is
/// created, what its pod may use, and how the host follows it. Bound from <c>NecroCode:Kubernetes</c>; checked at start.
/// </summary>
public sealed class KubernetesOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Kubernetes</c>.</summary>
    public const string SectionName = "NecroCode:Kubernetes";

    /// <summary>The namespace Jobs and their Secrets are created in. Default <c>default</c>.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The runner image (built from the repository's <c>Dockerfile</c>). Default <c>necrocode-runner:latest</c>.</summary>
    public string Image { get; set; } = "necrocode-runner:latest";

    /// <summary>When the kubelet pulls the image: <c>Always</c>, <c>IfNotPresent</c> (default) or <c>Never</c>.</summary>
    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>Names of Secrets (in <see cref="Namespace"/>) the kubelet pulls the image with. Default none.</summary>
    public List<string> ImagePullSecrets { get; set; } = [];

    /// <summary>
    /// This host runner's id, written as the <c>necrocode.dev/runner</c> label of its Jobs. At the first run, Jobs with this
    /// label whose host process is gone are deleted. Default <c>k8s-&lt;machine&gt;</c>.
    /// </summary>
    public string RunnerId { get; set; } = "k8s-" + System.Environment.MachineName.ToLowerInvariant();

    /// <summary>The pod's service account; the namespace's default when null.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>Mount the service account's API token in the pod. Default false: the runner never talks to the cluster.</summary>
    public bool AutomountServiceAccountToken { get; set; }

    /// <summary>The pod's node selector (label → value). Default none.</summary>
    public Dictionary<string, string> NodeSelector { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The pod's tolerations. Default none.</summary>
    public List<KubernetesToleration> Tolerations { get; set; } = [];

    /// <summary>CPU the pod requests, as a Kubernetes quantity (e.g. <c>500m</c>). Default <c>500m</c>; null: none.</summary>
    public string? CpuRequest { get; set; } = "500m";

    /// <summary>Memory the pod requests, as a Kubernetes quantity. Default <c>1Gi</c>; null: none.</summary>
    public string? MemoryRequest { get; set; } = "1Gi";

    /// <summary>The pod's CPU limit, as a Kubernetes quantity (e.g. <c>1500m</c>). Default <c>2</c>; null: none.</summary>
    public string? CpuLimit { get; set; } = "2";

    /// <summary>The pod's memory limit, as a Kubernetes quantity (e.g. <c>2Gi</c>). Default <c>2Gi</c>; null: none.</summary>
    public string? MemoryLimit { get; set; } = "2Gi";

    /// <summary>The user id the runner runs as (the pod runs as non-root). Default 1000, the image's <c>runner</c>.</summary>
    public long RunAsUser { get; set; } = 1000;

    /// <summary>Seconds a finished Job is kept before Kubernetes deletes it (and its Secret). Default 600.</summary>
    public int TtlSecondsAfterFinished { get; set; } = 600;

    /// <summary>Added to the task's timeout for the Job's <c>activeDeadlineSeconds</c>, so the runner can end the run itself first. Default 1 min.</summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Longest the pod may stay Pending (unscheduled, pulling its image, creating its container) before the host gives the
    /// run up; a pod stuck pending never fails by itself. Default 5 min.
    /// </summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the host lists the Job's pod even while its watch is open (a watch can miss an event). Default 30 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A PersistentVolumeClaim holding the run's workspace (a sub-folder per Job); null (default): an <c>emptyDir</c>.
    /// Either way the runner clones origin into it.
    /// </summary>
    public string? WorkspaceClaimName { get; set; }

    /// <summary>Size limit of the workspace <c>emptyDir</c>, as a Kubernetes quantity. Default <c>10Gi</c>; null: none.</summary>
    public string? WorkspaceSizeLimit { get; set; } = "10Gi";

    /// <summary>Size of the memory-backed <c>/tmp</c> (the root file system is read-only), as a Kubernetes quantity. Default <c>256Mi</c>.</summary>
    public string TmpSizeLimit { get; set; } = "256Mi";

    /// <summary>
    /// The URL the runner clones into its empty workspace; null (default): the URL of the remote of the task's slot on the
    /// host (<c>NecroCode:Runner:Remote</c> of its git configuration).
    /// </summary>
    public string? OriginUrl { get; set; }

    /// <summary>Non-secret environment variables of the runner container.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Non-secret runner settings for the host inside, as configuration keys (e.g. <c>NecroCode:Registry:Kind</c>); passed
    /// as <c>NecroCode__…</c> variables (in a configuration file write the keys as <c>NecroCode__Registry__Kind</c>). The pod
    /// must reach the shared registry and artifact store through them.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A host folder of secret files (one secret a file). Their contents travel to the pod in the task's own Secret, mounted
    /// as files at <c>/necrocode/secrets</c>, never as variables. Default none.
    /// </summary>
    public string? SecretsPath { get; set; }

    /// <summary>The port of the runner's health endpoint, probed for liveness and readiness. Default 8080; 0: no endpoint, no probes.</summary>
    public int HealthPort { get; set; } = 8080;

    /// <summary>
    /// A JSON merge patch (RFC 7386) applied to the generated pod spec, for what the other settings do not cover
    /// (e.g. <c>{"priorityClassName":"batch"}</c>). Default none.
    /// </summary>
    public string? PodSpecPatch { get; set; }

    /// <summary>The kubeconfig file; null: <c>KUBECONFIG</c> or <c>~/.kube/config</c>, or the in-cluster account inside a pod.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The kubeconfig context; null: its current context.</summary>
    public string? Context { get; set; }

    /// <summary>Use the pod's own service account (the host runs in the cluster) instead of a kubeconfig. Default false.</summary>
    public bool InCluster { get; set; }

    /// <summary>
    /// Believe a reported success only when the remote has it, asked from the host's slot of the task as in Docker mode.
    /// Default true; false trusts the registry's record.
    /// </summary>
    public bool VerifyPush { get; set; } = true;
}
