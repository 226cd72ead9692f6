using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>The queue's wake-up of an idle worker.</summary>
internal static class QueueWaitCases
{
    /// <summary>How long a case waits for what it expects before it reports a violation (a bound, never a measurement).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    public static IEnumerable<ContractCase<ITaskQueueContractSubject>> All =>
    [
        new("WaitForWork wakes when a task is enqueued", WakesOnEnqueueAsync),
        new("WaitForWork returns at its timeout when nothing happens", TimeoutAsync),
        new("WaitForWork stops when cancelled", CancelledAsync),
    ];

    private static async Task WakesOnEnqueueAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var waiting = subject.OpenQueue();
        var enqueuing = subject.OpenQueue();
        var wait = waiting.WaitForWorkAsync(TimeSpan.FromHours(1), ct);

        // The wait may take a moment to start listening: enqueue until it wakes, so that one enqueue surely follows it.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(Patience);
        while (!wait.IsCompleted && !patience.IsCancellationRequested)
        {
            await enqueuing.EnqueueAsync(NewDefinition(), ct).ConfigureAwait(false);
            await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(250), patience.Token)).ConfigureAwait(false);
        }

        Expect.That(wait.IsCompleted, $"WaitForWorkAsync (timeout 1 h) did not wake within {Patience.TotalSeconds:0} s of tasks being enqueued.");
        await wait.ConfigureAwait(false);
    }

    private static async Task TimeoutAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var wait = subject.OpenQueue().WaitForWorkAsync(TimeSpan.FromMilliseconds(100), ct);

        var finished = await Task.WhenAny(wait, Task.Delay(Patience, ct)).ConfigureAwait(false);

        Expect.That(finished == wait, $"WaitForWorkAsync (timeout 100 ms) had not returned after {Patience.TotalSeconds:0} s with nothing enqueued.");
        await wait.ConfigureAwait(false);
    }

    private static async Task CancelledAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = subject.OpenQueue().WaitForWorkAsync(TimeSpan.FromHours(1), cancel.Token);

        await cancel.CancelAsync().ConfigureAwait(false);

        await Expect.ThrowsAsync<OperationCanceledException>(() => wait.WaitAsync(Patience, ct), "WaitForWorkAsync, cancelled").ConfigureAwait(false);
    }
}
