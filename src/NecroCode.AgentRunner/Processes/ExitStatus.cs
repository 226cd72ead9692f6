using System.Globalization;

namespace NecroCode.AgentRunner.Processes;

/// <summary>A process's exit code as log text: <c>exit code 3</c>, or <c>no exit code</c> for one stopped before it exited.</summary>
internal static class ExitStatus
{
    public static string Describe(int? exitCode) =>
        exitCode is { } code ? "exit code " + code.ToString(CultureInfo.InvariantCulture) : "no exit code";
}
