namespace NecroCode.AgentRunner;

/// <summary>
/// Runs child processes for agents, tests and playbook commands: in their own process group, with
/// output streamed (masked) as events, and the whole tree stopped on timeout or cancellation.
/// </summary>
public interface IProcessRunner
{
    /// <summary>Runs a process to its end.</summary>
    /// <param name="spec">What to run.</param>
    /// <param name="cancellationToken">Stops the whole process tree, then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>How it ended; a non-zero exit or a timeout is a result, not an exception.</returns>
    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
