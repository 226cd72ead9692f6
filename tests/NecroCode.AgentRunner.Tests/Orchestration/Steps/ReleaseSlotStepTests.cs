using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class ReleaseSlotStepTests
{
    private static IWorkspaceManager RollbackFailing(Exception exception)
    {
        var manager = Substitute.For<IWorkspaceManager>();
        manager.RollbackAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(Task.FromException(exception));
        return manager;
    }

    private static async Task<RunContext> FailedAsync(StepHarness h)
    {
        var context = await h.PreparedAsync();
        context.Fail(RunOutcome.TestsFailed, "test", "The tests did not pass.");
        return context;
    }

    [Test]
    public async Task CheckAndResume_AnyRun_NeitherStopsTheStep()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync(previous: h.NewJournal() with { ReportedEvent = TaskEventTypes.TaskCompleted });
        IRunStep step = h.ReleaseSlot();

        Assert.Multiple(() =>
        {
            Assert.That(step.Check(context), Is.Null);
            Assert.That(step.Resume(context), Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_SucceededRun_ReleasesTheSlotWithoutRollbackAndUnregisters()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();

        var verdict = await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var runners = await h.Registry.GetRunnersAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(h.Slots.Released, Is.EqualTo(new[] { context.Lease }));
            Assert.That(h.Workspace.Rollbacks, Is.Empty);
            Assert.That(runners, Is.Empty);
            Assert.That((context.Released, context.Unregistered), Is.EqualTo((true, true)));
        });
    }

    [Test]
    public async Task RunAsync_FailedRun_RollsBackThenReleases()
    {
        using var h = new StepHarness();
        var context = await FailedAsync(h);

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(h.Workspace.Rollbacks, Is.EqualTo(new[] { h.SlotPath }));
            Assert.That(h.Slots.Released, Is.EqualTo(new[] { context.Lease }));
            Assert.That(h.Slots.Quarantined, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_RunFailedBeforeTouchingTheSlot_ReleasesWithoutRollback()
    {
        using var h = new StepHarness();
        var context = await FailedAsync(h);
        context.Workspace = null;

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(h.Workspace.Rollbacks, Is.Empty);
            Assert.That(h.Slots.Released, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_PreparationFailedForGood_RollsTheSuspectSlotBack()
    {
        using var h = new StepHarness();
        var context = await FailedAsync(h);
        context.Workspace = null;
        context.SlotSuspect = "the slot is not a git repository";

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.That(h.Workspace.Rollbacks, Is.EqualTo(new[] { h.SlotPath }));
    }

    [Test]
    public async Task RunAsync_RollbackFails_QuarantinesTheSlotWithTheReason()
    {
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new IOException("disk full")) };
        var context = await FailedAsync(h);

        var verdict = await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var events = await h.EventsAsync(context);
        const string reason = "rolling back after a failed run failed: disk full";
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(h.Slots.Quarantined, Is.EquivalentTo(new Dictionary<string, string> { ["slot-1"] = reason }));
            Assert.That(context.SlotQuarantined, Is.EqualTo(reason));
            Assert.That(h.Slots.Released, Is.Empty);
            Assert.That(events.OfType<RunWarning>().Single().Message, Is.EqualTo($"Slot slot-1 was quarantined (taken out of the pool) instead of released: {reason}"));
        });
    }

    [Test]
    public async Task RunAsync_RollbackFailsAfterAFailedPreparation_ReasonNamesBoth()
    {
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new IOException("disk full")) };
        var context = await FailedAsync(h);
        context.SlotSuspect = "index.lock exists";

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.That(context.SlotQuarantined, Is.EqualTo("rolling back after a failed run failed: disk full (preparing it had failed: index.lock exists)"));
    }

    [Test]
    public async Task RunAsync_RollbackReasonHoldsASecret_QuarantinedMasked()
    {
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new IOException("cannot reach https://s3cr3t@host")) };
        h.Masker.AddSecret("s3cr3t");
        var context = await FailedAsync(h);

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.That(h.Slots.Quarantined["slot-1"], Is.EqualTo("rolling back after a failed run failed: cannot reach https://***@host"));
    }

    [Test]
    public async Task RunAsync_RollbackOfAnAssignedSlotFails_WarnsWithoutQuarantiningOrReleasing()
    {
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new IOException("disk full")) };
        var context = await FailedAsync(h);
        await h.Slots.ReleaseAsync(context.Lease!, CancellationToken.None);
        context.Lease = new SlotLease("assigned-slot", h.SlotPath, AcquireSlotStep.AssignedLeaseId);
        var releasedBefore = h.Slots.Released.Count;

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(h.Slots.Quarantined, Is.Empty);
            Assert.That(context.SlotQuarantined, Is.Null);
            Assert.That(h.Slots.Released, Has.Count.EqualTo(releasedBefore));
            Assert.That(events.OfType<RunWarning>().Single().Message, Is.EqualTo("The assigned slot assigned-slot cannot be brought back clean: rolling back after a failed run failed: disk full"));
            Assert.That(context.Released, Is.True);
        });
    }

    [Test]
    public async Task RunAsync_RollbackRunsOutOfTime_ReleasedWithAWarning()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new OperationCanceledException(stop.Token)) };
        var context = await FailedAsync(h);

        await h.ReleaseSlot().RunAsync(context, stop.Token);

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(h.Slots.Released, Has.Count.EqualTo(1));
            Assert.That(h.Slots.Quarantined, Is.Empty);
            Assert.That(events.OfType<RunWarning>().Single().Message, Is.EqualTo("Rolling back slot slot-1 ran out of time; the next run recovers it."));
        });
    }

    [Test]
    public async Task RunAsync_PoolCannotQuarantine_ReleasesWithAWarning()
    {
        using var h = new StepHarness { WorkspaceManager = RollbackFailing(new IOException("disk full")) };
        var pool = Substitute.For<ISlotPool>();
        pool.QuarantineAsync(Arg.Any<SlotLease>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(Task.FromException(new SlotUnavailableException("cannot move the slot")));
        h.SlotPool = pool;
        var context = await FailedAsync(h);

        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            _ = pool.Received(1).ReleaseAsync(context.Lease!, Arg.Any<CancellationToken>());
            Assert.That(context.SlotQuarantined, Is.Null);
            Assert.That(events.OfType<RunWarning>().Single().Message, Does.Contain("could not be quarantined (cannot move the slot); it is released."));
        });
    }

    [Test]
    public async Task RunAsync_NoSlotLeased_SkippedButStillUnregisters()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        var verdict = await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var runners = await h.Registry.GetRunnersAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(runners, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_AlreadyReleased_DoesNotReleaseTwice()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();
        await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        var verdict = await h.ReleaseSlot().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(h.Slots.Released, Has.Count.EqualTo(1));
        });
    }
}
