namespace NecroCode.AgentRunner.Tests.Execution.Remote;

/// <summary>A run out of process under a claim its caller holds (a worker): the host writes as the holder.</summary>
public sealed partial class RemoteRunSettlementTests
{
    [Test]
    public async Task SettleAsync_UnderTheCallersClaim_EveryHostWriteIsTheHoldersAndAccepted()
    {
        await _run.Registry.RegisterRunnerAsync(new RunnerRegistration("worker-1", _run.Key, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None);
        await _run.Registry.TryClaimTaskAsync(_run.Key, "worker-1", CancellationToken.None);
        _run.UnderClaimOf("worker-1");
        await _run.Settlement.MarkRunningAsync(_run.Request, CancellationToken.None);
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        var record = await _run.Registry.GetTaskAsync(_run.Key, CancellationToken.None);
        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.RunnerId, Is.EqualTo("worker-1"));
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Done, "worker-1")));
            Assert.That(events.Select(e => (e.Type, e.RunnerId)), Is.EqualTo(new[] { (TaskEventTypes.TaskStarted, "worker-1"), (TaskEventTypes.TaskCompleted, "worker-1") }));
        }
    }

    [Test]
    public async Task MarkRunningAsync_TaskHeldByAnotherRunner_RefusedWithClaimLost()
    {
        await _run.Registry.RegisterRunnerAsync(new RunnerRegistration("worker-1", _run.Key, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None);
        await _run.Registry.TryClaimTaskAsync(_run.Key, "worker-1", CancellationToken.None);

        var refused = Assert.ThrowsAsync<ClaimLostException>(() => _run.Settlement.MarkRunningAsync(_run.Request, CancellationToken.None));

        Assert.That((refused!.RunnerId, refused.HeldBy), Is.EqualTo((RemoteRun.HostRunnerId, "worker-1")));
    }
}
