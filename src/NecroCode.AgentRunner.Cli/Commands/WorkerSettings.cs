namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>How a worker runs: tasks at once, the drain timeout and the longest idle wait.</summary>
/// <param name="MaxParallel">How many tasks run at once.</param>
/// <param name="DrainTimeout">How long running tasks may take to finish once the worker is stopping.</param>
/// <param name="IdleWait">The longest wait for work before the queue is looked at again.</param>
internal sealed record WorkerSettings(int MaxParallel, TimeSpan DrainTimeout, TimeSpan IdleWait);
