using System.Diagnostics;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

/// <summary>
/// What a killed run leaves behind: a process carrying the run's tracking variable that ignores SIGTERM (only the
/// SIGKILL after the grace period ends it). Killed on dispose if it still runs.
/// </summary>
internal sealed class LeftoverProcess : IDisposable
{
    private LeftoverProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Starts <c>sh -c "trap '' TERM; sleep 300"</c> marked with <paramref name="trackingId"/>.</summary>
    public static LeftoverProcess Start(string trackingId)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("trap '' TERM; sleep 300");
        start.Environment[ProcessRunner.TrackingVariablePrefix + trackingId] = "1";
        return new LeftoverProcess(Process.Start(start)!);
    }

    /// <summary>Whether it ended within a minute.</summary>
    public bool Stopped() => Process.WaitForExit(TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }
}
