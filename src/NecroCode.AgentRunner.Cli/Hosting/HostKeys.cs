namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>The keys the host reads itself (no options class binds them), relative to the root section <c>NecroCode</c>.</summary>
internal static class HostKeys
{
    public const string AgentKind = "Agent:Kind";

    public const string ExecutionMode = "Execution:Mode";

    /// <summary>
    /// The runner id <c>run</c> runs its tasks under (whose claim its caller holds, as a cluster host does for its pod);
    /// a new id per run when empty.
    /// </summary>
    public const string ExecutionRunnerId = "Execution:RunnerId";

    /// <summary>Where task records, claims and queue live: <c>file-system</c> (default) or <c>postgresql</c> (<c>NecroCode:PostgreSql</c>).</summary>
    public const string RegistryKind = "Registry:Kind";

    /// <summary>Where artifacts go: <c>file-system</c> (default, <c>NecroCode:FileSystem</c>) or <c>s3</c> (<c>NecroCode:Artifacts:S3</c>).</summary>
    public const string ArtifactStore = "Artifacts:Store";

    public const string HealthPort = "Health:Port";

    public const string HealthAddress = "Health:Address";

    public const string LoggingLevel = "Logging:Level";

    public const string LoggingFormat = "Logging:Format";

    /// <summary>Every host key.</summary>
    public static readonly IReadOnlyList<string> All = [AgentKind, ExecutionMode, ExecutionRunnerId, RegistryKind, ArtifactStore, HealthPort, HealthAddress, LoggingLevel, LoggingFormat];
}
