using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// A child started with <see cref="PosixSpawn"/>: it leads its own session and process group from its first
/// instruction on. <see cref="ChildReaper"/> waits for it and reaps it (the runtime reaps only the children it started).
/// </summary>
internal sealed class SpawnedChildProcess : ChildProcess
{
    private readonly Task<ChildExit> _exit;

    private SpawnedChildProcess(int id, Task<ChildExit> exit, int standardInput, int standardOutput, int standardError)
    {
        Id = id;
        _exit = exit;
        StandardInput = Wrap(standardInput, PipeDirection.Out);
        StandardOutput = Wrap(standardOutput, PipeDirection.In);
        StandardError = Wrap(standardError, PipeDirection.In);
    }

    public override int Id { get; }

    public override bool LeadsGroup => true;

    public override Stream StandardInput { get; }

    public override Stream StandardOutput { get; }

    public override Stream StandardError { get; }

    public override bool HasExited => _exit.IsCompleted;

    /// <remarks>-1 when the exit status was lost (the host process ignores SIGCHLD, so the kernel reaped the child).</remarks>
    public override int ExitCode => _exit.IsCompleted ? _exit.Result.ExitCode ?? -1 : throw new InvalidOperationException($"Process {Id} has not exited.");

    /// <inheritdoc />
    public override long? PeakResidentBytes => _exit.IsCompletedSuccessfully ? _exit.Result.PeakResidentBytes : null;

    /// <inheritdoc />
    public override TimeSpan? CpuTime => _exit.IsCompletedSuccessfully ? _exit.Result.CpuTime : null;

    /// <summary>Starts <paramref name="program"/> natively; null when this C library cannot (nothing was started).</summary>
    /// <exception cref="ProcessStartException">The program could not be executed.</exception>
    public static SpawnedChildProcess? TryStart(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (!PosixSpawn.IsAvailable || !PosixSpawn.TryStart(program, arguments, workingDirectory, environment, out var pid, out var input, out var output, out var error))
        {
            return null;
        }

        return Wrap(pid, input, output, error);
    }

    /// <summary>Wraps a child <see cref="PosixSpawn"/> started, handing it to <see cref="ChildReaper"/>.</summary>
    /// <param name="pid">The child's process id.</param>
    /// <param name="input">The write end of its standard input.</param>
    /// <param name="output">The read end of its standard output.</param>
    /// <param name="error">The read end of its standard error.</param>
    /// <returns>The child.</returns>
    public static SpawnedChildProcess Wrap(int pid, int input, int output, int error)
    {
        Task<ChildExit> exit;
        try
        {
            exit = ChildReaper.WaitAsync(pid);
        }
        catch
        {
            // No thread could be started to wait for it: stop it, reap it here, and leave nothing open.
            Signals.SignalGroup(pid, Signals.Kill);
            PosixSpawn.Close(input);
            PosixSpawn.Close(output);
            PosixSpawn.Close(error);
            PosixSpawn.WaitForExit(pid);
            throw;
        }

        return new SpawnedChildProcess(pid, exit, input, output, error);
    }

    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _exit.WaitAsync(cancellationToken);

    public override void Dispose()
    {
        StandardInput.Dispose();
        StandardOutput.Dispose();
        StandardError.Dispose();
    }

    private static AnonymousPipeClientStream Wrap(int descriptor, PipeDirection direction) =>
        new(direction, new SafePipeHandle(descriptor, ownsHandle: true));
}
