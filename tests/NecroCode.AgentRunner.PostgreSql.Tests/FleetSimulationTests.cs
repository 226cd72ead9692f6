using System.Collections.Concurrent;
using System.Globalization;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>
/// Four machines with sixteen workers each drain a queue of 200 tasks through one schema, each run taking a fleet-wide
/// permit, a slot of its machine, the branch lock and the branch: every task ends Done exactly once with exactly its
/// events, and nothing stays held. One more worker claims a task and dies; the task is taken over after its lease.
/// </summary>
[TestFixture]
public sealed class FleetSimulationTests
{
    private const int Machines = 4;
    private const int WorkersPerMachine = 16;
    private const int TaskCount = 200;
    private const int FleetLimit = 24;

    [Test]
    public async Task FourMachinesSixteenWorkers_EveryTaskDoneOnce_NoEventLostOrDoubled_NothingHeldAtTheEnd()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleets = Enumerable.Range(0, Machines).Select(m => database.Open($"machine-{m}", o => o.MaxParallelRuns = FleetLimit)).ToList();
        for (var i = 0; i < TaskCount; i++)
        {
            await fleets[0].Queue.EnqueueAsync(Tasks.Definition(i.ToString("D3", CultureInfo.InvariantCulture)), CancellationToken.None);
        }

        var abandoned = await ClaimAndDieAsync(database);
        var run = new FleetRun(database);
        var workers = fleets.SelectMany((fleet, m) =>
        {
            var slots = new FakeSlotPool();
            for (var s = 0; s < WorkersPerMachine; s++)
            {
                slots.AddSlot($"slot-{s}", $"/machine-{m}/slot-{s}");
            }

            var pool = fleet.ShareSlots(slots);
            var limiter = fleet.LimitRuns(new FakeRunConcurrencyLimiter(WorkersPerMachine));
            return Enumerable.Range(0, WorkersPerMachine).Select(w => Task.Run(() => run.WorkAsync(fleet, pool, limiter, $"runner-{m}-{w}")));
        }).ToList();
        await Task.WhenAll(workers);

        Assert.That(run.Completed.Distinct().Count(), Is.EqualTo(TaskCount + 1));
        Assert.That(run.Completed, Has.Count.EqualTo(TaskCount + 1), "no task ran twice");
        Assert.That(run.PeakRuns, Is.InRange(2, FleetLimit));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE state <> 'Done' OR holder IS NOT NULL"), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'TaskCompleted' GROUP BY spec_name, task_id HAVING count(*) <> 1) AS doubled"), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM events"), Is.EqualTo((TaskCount + 1) * 3 + 1), "3 events a run, and the dead worker's TaskStarted");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM (SELECT spec_name, task_id, type, runner_id, message FROM events GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) AS d"), Is.Zero);
        Assert.That((await fleets[0].Registry.GetEventsAsync(abandoned, CancellationToken.None)).Select(e => e.Type), Is.EqualTo(new[] { "TaskStarted", "TaskStarted", "Progress", "TaskCompleted" }));
        Assert.That(await database.ScalarAsync<long>("SELECT (SELECT count(*) FROM run_permits WHERE expires_at > now()) + (SELECT count(*) FROM slot_leases) + (SELECT count(*) FROM branch_locks)"), Is.Zero);
        Assert.That(await fleets[0].Registry.GetRunnersAsync(CancellationToken.None), Is.Empty);
    }

    /// <summary>A worker on its own machine claims the extra task, starts it and dies (no renewal, no clean-up) with a 2 s lease.</summary>
    private static async Task<TaskKey> ClaimAndDieAsync(TestDatabase database)
    {
        var doomed = database.Open("machine-doomed", o => o.LeaseDuration = TimeSpan.FromSeconds(2));
        await doomed.Queue.EnqueueAsync(Tasks.Definition("doomed"), CancellationToken.None);
        var claimed = await doomed.Queue.ClaimNextAsync("runner-doomed", CancellationToken.None);
        var task = claimed!.Entry.Task;
        await doomed.Registry.RegisterRunnerAsync(new RunnerRegistration("runner-doomed", task, "machine-doomed", 1, DateTimeOffset.UtcNow), CancellationToken.None);
        await doomed.Registry.AppendEventAsync(Tasks.Event(task, "runner-doomed", TaskEventTypes.TaskStarted), CancellationToken.None);
        await doomed.DisposeAsync();
        return task;
    }

    /// <summary>What the workers share: the tasks they completed and the peak of runs at once.</summary>
    private sealed class FleetRun(TestDatabase database)
    {
        private int _running;
        private int _peak;

        public ConcurrentBag<TaskKey> Completed { get; } = [];

        public int PeakRuns => Volatile.Read(ref _peak);

        public async Task WorkAsync(PostgreSqlFleet fleet, ISlotPool slots, IRunConcurrencyLimiter limiter, string runnerId)
        {
            while (true)
            {
                if (await fleet.Queue.ClaimNextAsync(runnerId, CancellationToken.None) is not { } claimed)
                {
                    if (await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE state <> 'Done'") == 0)
                    {
                        return;
                    }

                    await fleet.Queue.WaitForWorkAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None);
                    continue;
                }

                await RunAsync(fleet, slots, limiter, runnerId, claimed.Entry.Task);
            }
        }

        private async Task RunAsync(PostgreSqlFleet fleet, ISlotPool slots, IRunConcurrencyLimiter limiter, string runnerId, TaskKey task)
        {
            var registry = fleet.Registry;
            await using (await limiter.AcquireAsync(CancellationToken.None))
            {
                var now = Interlocked.Increment(ref _running);
                InterlockedMax(ref _peak, now);
                var slot = await slots.AcquireAsync(new SlotRequest(task, runnerId), CancellationToken.None);
                await registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, task, "machine", Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None);
                await registry.AppendEventAsync(Tasks.Event(task, runnerId, TaskEventTypes.TaskStarted), CancellationToken.None);
                var branch = $"necrocode/{task.TaskId}";
                await using (await fleet.BranchLock.AcquireBranchAsync(branch, runnerId, TimeSpan.FromMinutes(1), CancellationToken.None))
                {
                    Assert.That((await registry.TryClaimBranchAsync(branch, task, runnerId, CancellationToken.None)).IsOwnedBy(task), Is.True);
                    await registry.AppendEventAsync(Tasks.Event(task, runnerId, "Progress"), CancellationToken.None);
                }

                await registry.SetTaskStateAsync(task, TaskState.Done, runnerId, CancellationToken.None);
                await registry.AppendEventAsync(Tasks.Event(task, runnerId, TaskEventTypes.TaskCompleted), CancellationToken.None);
                Completed.Add(task);
                await slots.ReleaseAsync(slot, CancellationToken.None);
                await registry.UnregisterRunnerAsync(runnerId, CancellationToken.None);
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
