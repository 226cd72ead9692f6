namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>The keys the host reads itself (no options class binds them), relative to the root section <c>NecroCode</c>.</summary>
internal static class HostKeys
{
    public const string AgentKind = "Agent:Kind";

    public const string ExecutionMode = "Execution:Mode";

    public const string RegistryKind = "Registry:Kind";

    public const string HealthPort = "Health:Port";

    public const string HealthAddress = "Health:Address";

    public const string LoggingLevel = "Logging:Level";

    public const string LoggingFormat = "Logging:Format";

    /// <summary>Every host key.</summary>
    public static readonly IReadOnlyList<string> All = [AgentKind, ExecutionMode, RegistryKind, HealthPort, HealthAddress, LoggingLevel, LoggingFormat];
}
