namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The line <see cref="ProcessRunner"/> appends to <see cref="ProcessResult.StandardError"/> when it stopped a
/// tree (timeout or a broken limit), so callers and people reading a log can tell why:
/// <c>necrocode-runner: &lt;reason&gt;: &lt;sentence&gt;</c>, always the last line, e.g.
/// <c>necrocode-runner: timed-out: timed out after 30 s; the process tree was stopped.</c>
/// </summary>
/// <remarks>
/// Reasons: <c>timed-out</c>, <c>memory-limit-exceeded</c>, <c>cpu-time-limit-exceeded</c>, <c>wrap-up-expired</c>. A process that exited by
/// itself gets no line; a cancelled one throws instead. The line is added after the kept tail, so it is present
/// even when the output was truncated. It is for people reading the output; code reads
/// <see cref="ProcessResult.StopReason"/> and <see cref="ProcessResult.StopMessage"/>.
/// </remarks>
internal static class ProcessStopLine
{
    /// <summary>The prefix of the line.</summary>
    public const string Prefix = "necrocode-runner: ";

    /// <summary>The stable token of a reason, as written in the line and the metrics' <c>reason</c> tag.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The token.</returns>
    public static string ReasonToken(ProcessStopReason reason) => reason switch
    {
        ProcessStopReason.Exited => "exited",
        ProcessStopReason.TimedOut => "timed-out",
        ProcessStopReason.Cancelled => "cancelled",
        ProcessStopReason.MemoryLimitExceeded => "memory-limit-exceeded",
        ProcessStopReason.CpuTimeLimitExceeded => "cpu-time-limit-exceeded",
        ProcessStopReason.WrapUpExpired => "wrap-up-expired",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown stop reason."),
    };

    /// <summary>Appends the line to a standard error tail.</summary>
    /// <param name="standardError">The kept tail (without a final line break).</param>
    /// <param name="reason">Why the tree was stopped.</param>
    /// <param name="message">The sentence.</param>
    /// <returns>The tail with the line as its last line.</returns>
    public static string Append(string standardError, ProcessStopReason reason, string message)
    {
        var line = Prefix + ReasonToken(reason) + ": " + message;
        return standardError.Length == 0 ? line : standardError + "\n" + line;
    }
}
