using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="ITaskQueue"/> must have, as cases to run against a provider: enqueue and read back,
/// oldest first, one task per claimer even when many ask at once, hand-back, take-over of a lapsed claim, no second
/// enqueue of a live task, finished tasks leaving the queue, and the wake-up of an idle worker.
/// </summary>
/// <remarks>
/// Each case expects a queue with nothing claimable in it when it starts: give every case a store of its own (or empty
/// the store before each case).
/// <code>
/// [TestCaseSource(typeof(TaskQueueContract), nameof(TaskQueueContract.Cases))]
/// public Task Queue_keeps_the_contract(ContractCase&lt;ITaskQueueContractSubject&gt; contractCase) =&gt;
///     contractCase.RunAsync(new MyQueueSubject(), CancellationToken.None);
/// </code>
/// </remarks>
public static class TaskQueueContract
{
    /// <summary>How many workers ask for a task at once.</summary>
    private const int Workers = 8;

    /// <summary>The cases.</summary>
    public static IEnumerable<ContractCase<ITaskQueueContractSubject>> Cases =>
    [
        new("Enqueued tasks are listed oldest first and read back with their definitions", EnqueueAsync),
        new("ClaimNext hands out the oldest waiting task with a claim, until none is left", ClaimOldestFirstAsync),
        new("A task claimed from the queue is held: others are refused, the holder renews", ClaimedIsHeldAsync),
        new("Workers asking at once each get a different task", ConcurrentClaimsAsync),
        new("A task handed back waits again and is claimed anew", HandBackAsync),
        new("A hand-back by a runner that does not hold the task is refused", HandBackByOtherAsync),
        new("A task whose claim lapsed is claimed again, and its old holder is refused", LapsedAsync),
        new("A task held by a live runner cannot be enqueued again; a waiting one gets its new definition", EnqueueAgainAsync),
        new("Done and Failed tasks leave the queue; enqueued again, they wait again", FinishedAsync),
        .. QueueWaitCases.All,
    ];

    private static async Task EnqueueAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var queue = subject.OpenQueue();
        var definitions = new[] { NewDefinition("first"), NewDefinition("second"), NewDefinition("third") };
        foreach (var definition in definitions)
        {
            var entry = await queue.EnqueueAsync(definition, ct).ConfigureAwait(false);
            Expect.Equal((TaskKey.Of(definition), TaskState.Pending, (string?)null, 0), (entry.Task, entry.State, entry.RunnerId, entry.Claims), "The entry of a newly enqueued task");
        }

        var other = subject.OpenQueue();
        Expect.Equal(Keys(definitions), Keys(await other.ListAsync(null, ct).ConfigureAwait(false), definitions), "The tasks listed, oldest first");
        Expect.Equal(Keys(definitions), Keys(await other.ListAsync(TaskState.Pending, ct).ConfigureAwait(false), definitions), "The Pending tasks listed");
        Expect.Equal("", Keys(await other.ListAsync(TaskState.Running, ct).ConfigureAwait(false), definitions), "The Running tasks listed");
        var read = await other.GetAsync(TaskKey.Of(definitions[1]), ct).ConfigureAwait(false)
            ?? throw new ContractViolationException($"GetAsync does not know the enqueued task {TaskKey.Of(definitions[1])}.");
        ExpectSameDefinition(definitions[1], read.Definition);
        Expect.Equal(null, read.Claim, "The claim of a task that was only read");
        Expect.Equal(null, await other.GetAsync(NewTask(), ct).ConfigureAwait(false), "GetAsync of a task never enqueued");
        Expect.Equal(TaskState.Pending, (await RecordAsync(subject.OpenRegistry(), TaskKey.Of(definitions[0]), ct).ConfigureAwait(false)).State, "The registry's state of an enqueued task");
    }

    private static async Task ClaimOldestFirstAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var queue = subject.OpenQueue();
        var (older, newer) = (NewDefinition("older"), NewDefinition("newer"));
        await queue.EnqueueAsync(older, ct).ConfigureAwait(false);
        await queue.EnqueueAsync(newer, ct).ConfigureAwait(false);

        var first = await ClaimNextAsync(subject.OpenQueue(), "first", ct).ConfigureAwait(false);
        var second = await ClaimNextAsync(subject.OpenQueue(), "second", ct).ConfigureAwait(false);
        var none = await subject.OpenQueue().ClaimNextAsync(NewRunner("third"), ct).ConfigureAwait(false);

        ExpectSameDefinition(older, first.Task.Definition);
        ExpectSameDefinition(newer, second.Task.Definition);
        Expect.Equal(null, none?.Entry.Task, "The task claimed when every task is held");
        var entry = first.Task.Entry;
        Expect.Equal((TaskKey.Of(older), TaskState.Running, (string?)first.RunnerId, 1), (entry.Task, entry.State, entry.RunnerId, entry.Claims), "The claimed task's entry");
        var record = await RecordAsync(subject.OpenRegistry(), TaskKey.Of(older), ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Running, (string?)first.RunnerId), (record.State, record.RunnerId), "The registry's state and runner of the claimed task");
    }

    private static async Task ClaimedIsHeldAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var definition = NewDefinition();
        await subject.OpenQueue().EnqueueAsync(definition, ct).ConfigureAwait(false);
        var (holder, claimed) = await ClaimNextAsync(subject.OpenQueue(), "holder", ct).ConfigureAwait(false);
        var registry = subject.OpenRegistry();
        var task = TaskKey.Of(definition);
        var other = await RegisterAsync(registry, task, "other", ct).ConfigureAwait(false);

        var refused = await registry.TryClaimTaskAsync(task, other, ct).ConfigureAwait(false);
        var renewed = await registry.RenewClaimAsync(task, holder, ct).ConfigureAwait(false);

        Expect.That(!refused.Claimed, "Another runner's claim of a task claimed from the queue must be refused.");
        Expect.Equal(holder, refused.HeldBy, "The holder named to the refused claim");
        Expect.That(renewed.Claimed, "The holder's renewal of a task claimed from the queue must succeed.");
        Expect.Equal(claimed.Claim!.Fence, renewed.Fence, "The fencing number after the holder's renewal");
    }

    private static async Task ConcurrentClaimsAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var queue = subject.OpenQueue();
        var definitions = Enumerable.Range(0, Workers).Select(i => NewDefinition($"task {i}")).ToList();
        foreach (var definition in definitions)
        {
            await queue.EnqueueAsync(definition, ct).ConfigureAwait(false);
        }

        var workers = Enumerable.Range(0, Workers).Select(_ => (Queue: subject.OpenQueue(), RunnerId: NewRunner("worker"))).ToList();
        using var start = new ManualResetEventSlim();
        var claims = workers.Select(w => Task.Run(
            async () =>
            {
                start.Wait(ct);
                return await w.Queue.ClaimNextAsync(w.RunnerId, ct).ConfigureAwait(false);
            },
            ct)).ToList();
        start.Set();
        var claimed = await Task.WhenAll(claims).ConfigureAwait(false);

        Expect.Equal(Workers, claimed.Count(c => c is not null), $"Workers that got a task, of {Workers} asking at once for {Workers} tasks");
        Expect.Equal(Workers, claimed.Select(c => c!.Entry.Task).Distinct().Count(), "Distinct tasks handed to the workers");
        Expect.Equal(null, (await queue.ClaimNextAsync(NewRunner("late"), ct).ConfigureAwait(false))?.Entry.Task, "The task claimed after every task was handed out");
    }

    private static async Task HandBackAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var definition = NewDefinition();
        var task = TaskKey.Of(definition);
        await subject.OpenQueue().EnqueueAsync(definition, ct).ConfigureAwait(false);
        var (first, firstClaim) = await ClaimNextAsync(subject.OpenQueue(), "first", ct).ConfigureAwait(false);

        await subject.OpenQueue().ReturnAsync(task, first, ct).ConfigureAwait(false);

        var waiting = await subject.OpenQueue().GetAsync(task, ct).ConfigureAwait(false);
        Expect.Equal(TaskState.Pending, waiting?.Entry.State, "The state of a task handed back");
        Expect.Equal(TaskState.Pending, (await RecordAsync(subject.OpenRegistry(), task, ct).ConfigureAwait(false)).State, "The registry's state of a task handed back");
        var (_, again) = await ClaimNextAsync(subject.OpenQueue(), "second", ct).ConfigureAwait(false);
        Expect.Equal((task, 2), (again.Entry.Task, again.Entry.Claims), "The task claimed after the hand-back, and its claim count");
        Expect.That(again.Claim!.Fence > firstClaim.Claim!.Fence, $"The fencing number must grow with the claim after a hand-back: {firstClaim.Claim.Fence}, then {again.Claim.Fence}.");
        await Expect.ThrowsAsync<ClaimLostException>(() => subject.OpenQueue().ReturnAsync(task, first, ct), $"A second hand-back by runner {first}, which no longer holds the task").ConfigureAwait(false);
    }

    private static async Task HandBackByOtherAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var definition = NewDefinition();
        var task = TaskKey.Of(definition);
        await subject.OpenQueue().EnqueueAsync(definition, ct).ConfigureAwait(false);
        var (holder, _) = await ClaimNextAsync(subject.OpenQueue(), "holder", ct).ConfigureAwait(false);

        await Expect.ThrowsAsync<ClaimLostException>(() => subject.OpenQueue().ReturnAsync(task, NewRunner("other"), ct), "A hand-back by a runner that never held the task").ConfigureAwait(false);

        var record = await RecordAsync(subject.OpenRegistry(), task, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Running, (string?)holder), (record.State, record.RunnerId), "The task's state and runner after a refused hand-back");
    }

    private static async Task LapsedAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var definition = NewDefinition();
        var task = TaskKey.Of(definition);
        await subject.OpenQueue().EnqueueAsync(definition, ct).ConfigureAwait(false);
        var (holder, old) = await ClaimNextAsync(subject.OpenQueue(), "holder", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, holder, ct).ConfigureAwait(false);

        var (successor, taken) = await ClaimNextAsync(subject.OpenQueue(), "successor", ct).ConfigureAwait(false);

        Expect.Equal((task, 2), (taken.Entry.Task, taken.Entry.Claims), "The task taken over, and its claim count");
        Expect.That(taken.Claim!.Fence > old.Claim!.Fence, $"The take-over's fencing number must be larger: {old.Claim.Fence}, then {taken.Claim.Fence}.");
        var registry = subject.OpenRegistry();
        await Expect.ThrowsAsync<ClaimLostException>(() => registry.SetTaskStateAsync(task, TaskState.Done, holder, ct), "The old holder's Done after the take-over").ConfigureAwait(false);
        await Expect.ThrowsAsync<ClaimLostException>(() => subject.OpenQueue().ReturnAsync(task, holder, ct), "The old holder's hand-back after the take-over").ConfigureAwait(false);
        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Running, (string?)successor), (record.State, record.RunnerId), "The task's state and runner after the old holder's refused writes");
    }

    private static async Task EnqueueAgainAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var queue = subject.OpenQueue();
        var (held, waiting) = (NewDefinition("held"), NewDefinition("waiting"));
        await queue.EnqueueAsync(held, ct).ConfigureAwait(false);
        var (holder, _) = await ClaimNextAsync(subject.OpenQueue(), "holder", ct).ConfigureAwait(false);
        await queue.EnqueueAsync(waiting, ct).ConfigureAwait(false);

        var conflict = await Expect.ThrowsAsync<TaskConflictException>(() => subject.OpenQueue().EnqueueAsync(held with { Title = "held, again" }, ct), "Enqueuing a task a live runner holds").ConfigureAwait(false);
        var renamed = waiting with { Title = "waiting, renamed" };
        await subject.OpenQueue().EnqueueAsync(renamed, ct).ConfigureAwait(false);

        Expect.Equal(holder, conflict.HeldBy, "The holder the conflict names");
        Expect.Equal("held", (await queue.GetAsync(TaskKey.Of(held), ct).ConfigureAwait(false))?.Definition.Title, "The held task's title after the refused enqueue");
        ExpectSameDefinition(renamed, (await queue.GetAsync(TaskKey.Of(waiting), ct).ConfigureAwait(false))?.Definition);
        Expect.Equal(Keys([held, waiting]), Keys(await queue.ListAsync(null, ct).ConfigureAwait(false), [held, waiting]), "The tasks listed after enqueuing one again");
    }

    private static async Task FinishedAsync(ITaskQueueContractSubject subject, CancellationToken ct)
    {
        var queue = subject.OpenQueue();
        var (done, failed) = (NewDefinition("done"), NewDefinition("failed"));
        await queue.EnqueueAsync(done, ct).ConfigureAwait(false);
        await queue.EnqueueAsync(failed, ct).ConfigureAwait(false);
        var registry = subject.OpenRegistry();
        var (doneBy, _) = await ClaimNextAsync(subject.OpenQueue(), "done", ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(TaskKey.Of(done), TaskState.Done, doneBy, ct).ConfigureAwait(false);
        var (failedBy, _) = await ClaimNextAsync(subject.OpenQueue(), "failed", ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(TaskKey.Of(failed), TaskState.Failed, failedBy, ct).ConfigureAwait(false);

        Expect.Equal(null, (await queue.ClaimNextAsync(NewRunner("idle"), ct).ConfigureAwait(false))?.Entry.Task, "The task claimed when every task is Done or Failed");
        Expect.Equal(Keys([done]), Keys(await queue.ListAsync(TaskState.Done, ct).ConfigureAwait(false), [done, failed]), "The Done tasks listed");
        Expect.Equal(Keys([failed]), Keys(await queue.ListAsync(TaskState.Failed, ct).ConfigureAwait(false), [done, failed]), "The Failed tasks listed");
        Expect.Equal("", Keys(await queue.ListAsync(TaskState.Pending, ct).ConfigureAwait(false), [done, failed]), "The Pending tasks listed");

        await queue.EnqueueAsync(failed, ct).ConfigureAwait(false);
        var (_, retried) = await ClaimNextAsync(subject.OpenQueue(), "retry", ct).ConfigureAwait(false);
        Expect.Equal(TaskKey.Of(failed), retried.Entry.Task, "The Failed task claimed after it was enqueued again");
    }

    /// <summary>Claims the next task for a new runner; fails the case when there is none.</summary>
    internal static async Task<(string RunnerId, QueuedTask Task)> ClaimNextAsync(ITaskQueue queue, string role, CancellationToken ct)
    {
        var runnerId = NewRunner(role);
        var claimed = await queue.ClaimNextAsync(runnerId, ct).ConfigureAwait(false)
            ?? throw new ContractViolationException($"ClaimNextAsync gave runner {runnerId} no task, though one was waiting.");
        Expect.That(claimed.Claim is { Claimed: true, Fence: > 0 }, $"A task claimed from the queue must come with a live claim and a positive fencing number; got {claimed.Claim}.");
        return (runnerId, claimed);
    }

    private static void ExpectSameDefinition(TaskContext expected, TaskContext? actual)
    {
        Expect.That(actual is not null, $"The definition of {TaskKey.Of(expected)} is missing.");
        Expect.Equal((expected.SpecName, expected.TaskId, expected.Title, expected.Description), (actual!.SpecName, actual.TaskId, actual.Title, actual.Description), "The definition read back");
        Expect.Equal(string.Join('|', expected.AcceptanceCriteria), string.Join('|', actual.AcceptanceCriteria), "The acceptance criteria read back");
        Expect.Equal(string.Join('|', expected.TestCommands), string.Join('|', actual.TestCommands), "The test commands read back");
    }

    private static string Keys(IEnumerable<TaskContext> definitions) => string.Join(", ", definitions.Select(d => d.TaskId));

    /// <summary>The ids of the listed entries that belong to <paramref name="mine"/>, in the order listed.</summary>
    private static string Keys(IEnumerable<QueueEntry> entries, IEnumerable<TaskContext> mine)
    {
        var ids = mine.Select(d => d.TaskId).ToHashSet(StringComparer.Ordinal);
        return string.Join(", ", entries.Where(e => e.Task.SpecName == Spec && ids.Contains(e.Task.TaskId)).Select(e => e.Task.TaskId));
    }
}
