namespace NecroCode.AgentRunner.Kubernetes.Manifests;

/// <summary>What one task's Secret and Job are made of, besides the settings.</summary>
/// <param name="JobName">The Job's (and the Secret's) name (<see cref="Manifests.JobName"/>).</param>
/// <param name="Task">The task.</param>
/// <param name="Writer">The runner id the run writes to the registry under.</param>
/// <param name="Owner">The host process that creates the Job (<c>host/pid/start</c>).</param>
/// <param name="TaskJson">The task file the runner reads.</param>
/// <param name="SecretFiles">The secret files by name; they travel in the Secret only.</param>
/// <param name="Variables">The runner's non-secret environment variables.</param>
/// <param name="ActiveDeadline">The Job's deadline: the task's timeout plus the margin.</param>
internal sealed record TaskManifestInput(
    string JobName,
    TaskKey Task,
    string Writer,
    string Owner,
    string TaskJson,
    IReadOnlyDictionary<string, byte[]> SecretFiles,
    IReadOnlyDictionary<string, string> Variables,
    TimeSpan ActiveDeadline);
