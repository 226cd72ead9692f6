using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Execution;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>A run holds its claim as a lease: it renews it, and stops when it loses it.</summary>
[TestFixture]
public sealed class RunnerOrchestratorClaimTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Test]
    public async Task RunAsync_LeasedClaim_RenewedPastTheLeaseAndCompletes()
    {
        var (h, time, agent, task, run) = await StartLeasedAsync();
        using var harness = h;
        var first = h.Registry.CurrentClaim(TaskKey.Of(task))!.ExpiresAt!.Value;

        var expiry = first;
        for (var i = 0; i < 4; i++)
        {
            var before = expiry;
            expiry = await EventuallyAsync(time, () => h.Registry.CurrentClaim(TaskKey.Of(task))?.ExpiresAt is { } e && e > before ? e : (DateTimeOffset?)null);
        }

        agent.Release();
        var result = await run.Completion.WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(expiry, Is.GreaterThan(first + Lease), "renewed well past the first lease");
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        });
        Assert.That((await h.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None))!.State, Is.EqualTo(TaskState.Done));
    }

    [Test]
    public async Task RunAsync_RenewalRefusedAfterTakeOver_StopsAsConflictAndWritesNothingMore()
    {
        var (h, time, agent, task, run) = await StartLeasedAsync();
        using var harness = h;
        var key = TaskKey.Of(task);
        h.Registry.ExpireClaim(key);
        await h.Registry.RegisterRunnerAsync(new RunnerRegistration("runner-2", key, Environment.MachineName, Environment.ProcessId, time.GetUtcNow()), CancellationToken.None);
        Assert.That((await h.Registry.TryClaimTaskAsync(key, "runner-2", CancellationToken.None)).Claimed, Is.True);
        var eventsAtTakeOver = (await h.Registry.GetEventsAsync(key, CancellationToken.None)).Count;

        await EventuallyAsync(time, () => run.Completion.IsCompleted ? true : (bool?)null);
        var result = await run.Completion;

        var record = await h.Registry.GetTaskAsync(key, CancellationToken.None);
        var events = await h.Registry.GetEventsAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(result.Error!.Message, Does.Contain("lost its claim").And.Contain("runner-2"));
            Assert.That(agent.Cancelled, Is.True, "the agent's step was cancelled");
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, "runner-2")), "the new holder's state stands");
            Assert.That(events, Has.Count.EqualTo(eventsAtTakeOver), "no event written after the loss");
            Assert.That(h.Workspace.Pushes, Is.Empty);
            Assert.That(h.Slots.Held, Is.Empty, "the slot is still handed back");
        });
    }

    [Test]
    public async Task RunAsync_TakenOverBeforePush_PushesNothingAndEndsAsConflict()
    {
        using var h = new OrchestratorHarness();
        var task = OrchestratorHarness.Task();
        var key = TaskKey.Of(task);
        var writing = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        h.Agent = new FakeCodingAgent(async (request, ct) =>
        {
            var result = await writing.ImplementAsync(request, ct);
            h.Registry.ExpireClaim(key);
            await h.Registry.RegisterRunnerAsync(new RunnerRegistration("runner-2", key, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), ct);
            await h.Registry.TryClaimTaskAsync(key, "runner-2", ct);
            return result;
        });

        var result = await h.Create().RunAsync(task, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(key, CancellationToken.None);
        var events = await h.Registry.GetEventsAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(result.Error!.Message, Does.Contain("runner-2").And.Contain("was not pushed"));
            Assert.That(h.Workspace.Pushes, Is.Empty);
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, "runner-2")));
            Assert.That(events.Select(e => e.Type), Has.No.Member(TaskEventTypes.TaskFailed).And.No.Member(TaskEventTypes.TaskCompleted));
        });
    }

    [Test]
    public async Task RunAsync_UnderTheCallersRunnerId_RunsUnderItsClaim()
    {
        using var h = new OrchestratorHarness();
        var task = OrchestratorHarness.Task();
        var queue = new FakeTaskQueue(h.Registry);
        await queue.EnqueueAsync(task, CancellationToken.None);
        var claimed = await queue.ClaimNextAsync("worker-1", CancellationToken.None);
        var environment = new LocalExecutionEnvironment(h.Create());

        var result = await environment.RunAsync(new ExecutionRequest(task) { RunnerId = "worker-1" }, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.RunnerId, Is.EqualTo("worker-1"));
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Done, "worker-1")));
            Assert.That(claimed!.Claim!.Fence, Is.EqualTo(1));
        });
    }

    [Test]
    public void RunAsync_UnsafeRunnerId_RefusedBeforeAnythingRuns()
    {
        using var h = new OrchestratorHarness();
        var environment = new LocalExecutionEnvironment(h.Create());

        Assert.ThrowsAsync<ArgumentException>(() => environment.RunAsync(new ExecutionRequest(OrchestratorHarness.Task()) { RunnerId = "../escape" }, CancellationToken.None));
        Assert.That(h.Registry.RegisteredEver, Is.Empty);
    }

    /// <summary>Starts a run whose claim is a lease on a fake clock; returns once its agent is working.</summary>
    private static async Task<(OrchestratorHarness Harness, FakeTimeProvider Time, GatedAgent Agent, TaskContext Task, AgentRun Run)> StartLeasedAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var h = new OrchestratorHarness { Time = time };
        h.Registry = new FakeTaskRegistry(time) { LeaseDuration = Lease };
        var agent = new GatedAgent();
        h.Agent = agent.Agent;
        var task = OrchestratorHarness.Task();
        var run = await h.Create().StartAsync(task, CancellationToken.None);
        await agent.Entered.WaitAsync(Patience);
        return (h, time, agent, task, run);
    }

    /// <summary>
    /// Moves the clock on a second at a time until <paramref name="probe"/> gives a value (the heartbeat's wait may begin
    /// after any given step); waits a bound, never a measurement, of real time.
    /// </summary>
    private static async Task<T> EventuallyAsync<T>(FakeTimeProvider time, Func<T?> probe)
        where T : struct
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(10), patience.Token);
        }
    }

    /// <summary>An agent that writes its change, then waits until released or cancelled.</summary>
    private sealed class GatedAgent
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatedAgent()
        {
            var writing = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
            Agent = new FakeCodingAgent(async (request, ct) =>
            {
                var result = await writing.ImplementAsync(request, ct);
                _entered.TrySetResult();
                try
                {
                    await _release.Task.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    Cancelled = true;
                    throw;
                }

                return result;
            });
        }

        public FakeCodingAgent Agent { get; }

        public Task Entered => _entered.Task;

        public bool Cancelled { get; private set; }

        public void Release() => _release.TrySetResult();
    }
}
