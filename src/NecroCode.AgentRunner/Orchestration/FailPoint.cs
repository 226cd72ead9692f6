using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// TEST-ONLY fault injection for the crash-and-resume tests: when the environment variable
/// <c>NECROCODE_FAILPOINT</c> names a point the run reaches, the process kills itself with SIGKILL there, as a
/// crash or an out-of-memory kill would. Points: <c>&lt;step&gt;:before</c> at the start of a step;
/// <c>commit:after-effect</c>, <c>push:after-effect</c>, <c>upload-artifacts:after-effect:&lt;artifact name&gt;</c>,
/// <c>report:after-effect</c> (completion event recorded) and <c>run-log:after-effect</c> (run log stored) right
/// after the side effect and before the journal records it. Not a setting: never set it outside tests.
/// </summary>
internal static class FailPoint
{
    /// <summary>The environment variable that names the point.</summary>
    public const string VariableName = "NECROCODE_FAILPOINT";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(VariableName);

    /// <summary>The point at the start of a step.</summary>
    /// <param name="step">The step's name.</param>
    /// <returns>The point's name.</returns>
    public static string Before(string step) => step + ":before";

    /// <summary>The point right after a side effect of a step, before the journal records it.</summary>
    /// <param name="step">The step's name.</param>
    /// <param name="detail">Which effect, when the step has several (the artifact's name).</param>
    /// <returns>The point's name.</returns>
    public static string AfterEffect(string step, string? detail = null) => step + ":after-effect" + (detail is null ? "" : ":" + detail);

    /// <summary>Kills this process with SIGKILL when <paramref name="point"/> is the armed point.</summary>
    /// <param name="point">The point reached.</param>
    public static void Reach(string point)
    {
        if (Armed is not null && string.Equals(Armed, point, StringComparison.Ordinal))
        {
            Signals.SignalProcess(Environment.ProcessId, Signals.Kill);
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
