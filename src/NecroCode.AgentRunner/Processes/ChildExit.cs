namespace NecroCode.AgentRunner.Processes;

/// <summary>How a natively started child ended, from <c>wait4</c>.</summary>
/// <param name="ExitCode">The exit code, 128 + the signal that ended it; null when its status was lost.</param>
/// <param name="PeakResidentBytes">The largest resident set of the child and the descendants it waited for; null when unknown (always, for a child started with posix_spawn: see <see cref="PosixSpawn.WaitForExit"/>).</param>
/// <param name="CpuTime">User and system time of the child and the descendants it waited for; null when unknown.</param>
internal sealed record ChildExit(int? ExitCode, long? PeakResidentBytes, TimeSpan? CpuTime);
