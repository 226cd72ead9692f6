using System.Runtime.InteropServices;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// How the host stops on SIGINT (Ctrl+C), SIGTERM and SIGHUP. The first signal cancels <see cref="Token"/>: the runs
/// stop their agent and test processes, store their artifacts, record the task Failed (cancelled), return their
/// slots and the host prints the summaries and exits with 130. A second signal forces: every process tree the host
/// started is killed at once and the host exits with 130 without waiting for the runs' clean-up (the next run
/// recovers the slot; <c>resume</c> continues the task).
/// </summary>
internal sealed class HostShutdown : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _stderr;
    private int _signals;

    public HostShutdown(TextWriter stderr)
    {
        _stderr = stderr;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stopping.Token;

    /// <summary>What the process does when it is forced to stop; exits with 130 by default.</summary>
    internal Action<int> Exit { get; init; } = Environment.Exit;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default (ending the process at once) would leave the task Running and the slot leased.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            TryWrite($"{context.Signal}: stopping; the runs record their tasks and return their slots. Send it again to force.");

            // Cancellation callbacks run on the caller: not on the signal handler's thread.
            _ = Task.Run(_stopping.Cancel);
            return;
        }

        var killed = LiveProcesses.KillAll();
        TryWrite($"{context.Signal} again: forced stop; killed {killed} process(es) of the runs. The slots are recovered by the next run; 'necrocode-runner resume' continues the tasks.");
        Exit(ExitCodes.Cancelled);
    }

    private void TryWrite(string line)
    {
        try
        {
            _stderr.WriteLine(line);
            _stderr.Flush();
        }
        catch (IOException)
        {
            // A closed terminal (SIGHUP) has no stderr to write to.
        }
    }
}
