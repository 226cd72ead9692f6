using System.Text;

namespace NecroCode.AgentRunner.Git;

/// <summary>The outcome of one <c>git</c> invocation.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutputBytes">Everything written to stdout, as raw bytes (patches may hold any encoding).</param>
/// <param name="StandardError">Everything written to stderr.</param>
internal sealed record GitResult(int ExitCode, byte[] StandardOutputBytes, string StandardError)
{
    /// <summary>Whether git exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Stdout decoded as UTF-8.</summary>
    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);
}
