using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class RegisterStepTests
{
    [Test]
    public void CheckAndResume_AnyRun_NeitherStopsTheStep()
    {
        using var h = new StepHarness();
        IRunStep step = h.Register();
        var context = h.Context(previous: h.NewJournal());

        Assert.Multiple(() =>
        {
            Assert.That(step.Check(context), Is.Null);
            Assert.That(step.Resume(context), Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_FreeTask_RegistersClaimsAndStartsTheJournal()
    {
        using var h = new StepHarness();
        var context = h.Context();

        var verdict = await h.Register().RunAsync(context, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(context.Key, CancellationToken.None);
        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That((context.Registered, context.Claimed), Is.EqualTo((true, true)));
            Assert.That(h.Registry.RegisteredEver.Select(r => r.RunnerId), Is.EqualTo(new[] { StepHarness.RunnerId }));
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, StepHarness.RunnerId)));
            Assert.That((stored!.RunnerId, stored.Branch, stored.TraceId, stored.Resumes), Is.EqualTo((StepHarness.RunnerId, StepHarness.Branch, context.TraceId, 0)));
        });
    }

    [Test]
    public async Task RunAsync_FreeTask_AppendsTaskStartedWithTheBranch()
    {
        using var h = new StepHarness();
        var context = h.Context();

        await h.Register().RunAsync(context, CancellationToken.None);

        var started = (await h.Registry.GetEventsAsync(context.Key, CancellationToken.None)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(started.Type, Is.EqualTo(TaskEventTypes.TaskStarted));
            Assert.That(started.RunnerId, Is.EqualTo(StepHarness.RunnerId));
            Assert.That(started.Data!["branch"], Is.EqualTo(StepHarness.Branch));
        });
    }

    [Test]
    public async Task RunAsync_TaskAlreadyDone_ConflictWithoutClaiming()
    {
        using var h = new StepHarness();
        var context = h.Context();
        await h.Registry.SetTaskStateAsync(context.Key, TaskState.Done, "runner-earlier", CancellationToken.None);

        var verdict = await h.Register().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(verdict.Failure.Message, Does.StartWith($"Task {context.Key} is already Done (by runner runner-earlier,").And.Contain("pass --rerun"));
            Assert.That(verdict.Failure.Exception, Is.TypeOf<TaskConflictException>().With.Property(nameof(TaskConflictException.HeldBy)).EqualTo("runner-earlier"));
            Assert.That((context.Registered, context.Claimed), Is.EqualTo((false, false)));
        });
    }

    [Test]
    public async Task RunAsync_RenamedStepOfADoneTask_ConflictRecordedUnderTheRenamedStep()
    {
        using var h = new StepHarness();
        var context = h.Context();
        await h.Registry.SetTaskStateAsync(context.Key, TaskState.Done, "runner-earlier", CancellationToken.None);
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        await h.StepRunner().RunAsync(context, h.Register(), "claim", budget);

        Assert.Multiple(() =>
        {
            Assert.That(context.Steps.Single().Message, Does.StartWith($"Task {context.Key} is already Done"));
            Assert.That(context.Error!.Step, Is.EqualTo("claim"), "recorded under the name the step runs under");
        });
    }

    [Test]
    public async Task RunAsync_TaskAlreadyDoneAndRerunAllowed_Claims()
    {
        using var h = new StepHarness();
        h.Options.RerunDoneTasks = true;
        var context = h.Context();
        await h.Registry.SetTaskStateAsync(context.Key, TaskState.Done, "runner-earlier", CancellationToken.None);

        var verdict = await h.Register().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(context.Claimed, Is.True);
        });
    }

    [Test]
    public async Task RunAsync_TaskHeldByAnotherLiveRunner_ConflictNamingTheHolder()
    {
        using var h = new StepHarness();
        var context = h.Context();
        await h.Registry.RegisterRunnerAsync(new RunnerRegistration("runner-other", context.Key, "host", 1, DateTimeOffset.UtcNow), CancellationToken.None);
        await h.Registry.TryClaimTaskAsync(context.Key, "runner-other", CancellationToken.None);

        var verdict = await h.Register().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(verdict.Failure.Message, Is.EqualTo($"Task {context.Key} is already being run by runner runner-other."));
            Assert.That(context.Registered, Is.True, "registered, so that the release step unregisters it");
            Assert.That(context.Claimed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_BranchOwnedByAnotherTask_ThrowsConflictBeforeRegistering()
    {
        using var h = new StepHarness();
        var context = h.Context();
        await h.Registry.TryClaimBranchAsync(StepHarness.Branch, new TaskKey("demo", "9.9"), "runner-other", CancellationToken.None);

        var ex = Assert.ThrowsAsync<TaskConflictException>(() => h.Register().RunAsync(context, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.StartWith($"The branch '{StepHarness.Branch}' of task {context.Key} belongs to task demo/9.9"));
            Assert.That(context.Registered, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_ResumedRun_CarriesOnThePreviousJournalWithOneMoreResume()
    {
        using var h = new StepHarness();
        var previous = h.NewJournal() with { CommitId = "abc123", Resumes = 1, TraceId = "trace-killed" };
        var context = h.Context(previous: previous);

        await h.Register().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That((stored!.CommitId, stored.Resumes, stored.TraceId), Is.EqualTo(("abc123", 2, context.TraceId)));
            Assert.That(events.OfType<RunWarning>().Select(w => w.Message), Does.Contain($"Resuming the run of {context.Key} (resume 2)."));
        });
    }

    [Test]
    public async Task RunAsync_ResumedRunOfADoneTask_ClaimsAnyway()
    {
        using var h = new StepHarness();
        var context = h.Context(previous: h.NewJournal());
        await h.Registry.SetTaskStateAsync(context.Key, TaskState.Done, StepHarness.RunnerId, CancellationToken.None);

        var verdict = await h.Register().RunAsync(context, CancellationToken.None);

        Assert.That(verdict.Outcome, Is.EqualTo(StepOutcome.Succeeded));
    }

    [Test]
    public async Task RunAsync_JournalLeftByADeadRunner_ReplacedByAFreshOne()
    {
        using var h = new StepHarness();
        var context = h.Context();
        await h.Journals.WriteAsync(h.NewJournal() with { RunnerId = "runner-dead", CommitId = "old", TraceId = "trace-dead" }, CancellationToken.None);

        await h.Register().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.That((stored!.RunnerId, stored.CommitId), Is.EqualTo((StepHarness.RunnerId, (string?)null)));
    }
}
