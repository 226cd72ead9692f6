using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class PrepareWorkspaceStepTests
{
    /// <summary>The harness's fake workspace manager, except that preparing fails with what <paramref name="fail"/> gives; records every preparation.</summary>
    private static IWorkspaceManager Failing(StepHarness h, List<WorkspaceRequest> requests, Func<WorkspaceRequest, Exception?> fail)
    {
        var manager = Substitute.For<IWorkspaceManager>();
        manager.PrepareAsync(Arg.Any<WorkspaceRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var request = call.Arg<WorkspaceRequest>();
            requests.Add(request);
            return fail(request) is { } exception ? Task.FromException<PreparedWorkspace>(exception) : h.Workspace.PrepareAsync(request, CancellationToken.None);
        });
        manager.GetDiffAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => h.Workspace.GetDiffAsync(call.ArgAt<string>(0), call.ArgAt<string>(1), CancellationToken.None));
        return manager;
    }

    private static async Task<RunContext> LeasedAsync(StepHarness h, RunJournal? previous = null)
    {
        var context = await h.ClaimedAsync(previous: previous);
        context.Lease = await h.Slots.AcquireAsync(new SlotRequest(context.Key, StepHarness.RunnerId), CancellationToken.None);
        return context;
    }

    [Test]
    public async Task Check_NoSlotLeased_NeedsAcquireSlot()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.PrepareWorkspace().Check(context), Is.EqualTo(StepVerdict.MissingPrerequisite("prepare-workspace", "acquire-slot")));
    }

    [Test]
    public async Task Check_SlotLeased_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await LeasedAsync(h);

        Assert.That(h.PrepareWorkspace().Check(context), Is.Null);
    }

    [Test]
    public async Task Resume_ResumedRunWithACommit_NoResumeRuleTheSlotIsPreparedAgain()
    {
        using var h = new StepHarness();
        var context = await LeasedAsync(h, h.NewJournal() with { CommitId = "c1", BaseCommit = "base-0" });

        Assert.That(((IRunStep)h.PrepareWorkspace()).Resume(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_FreshRun_PreparesTheSlotAndRecordsTheBaseCommit()
    {
        using var h = new StepHarness();
        var context = await LeasedAsync(h);

        var verdict = await h.PrepareWorkspace().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That((context.Workspace!.Path, context.Workspace.Branch), Is.EqualTo((h.SlotPath, StepHarness.Branch)));
            Assert.That(stored!.BaseCommit, Is.EqualTo(context.Workspace.BaseCommit));
        });
    }

    [Test]
    public async Task RunAsync_ResumedRunWithACommit_PreparesAtTheCommitKeepingTheBaseCommit()
    {
        using var h = new StepHarness();
        var requests = new List<WorkspaceRequest>();
        h.WorkspaceManager = Failing(h, requests, _ => null);
        var context = await LeasedAsync(h, h.NewJournal() with { CommitId = "c1", BaseCommit = "base-0" });

        var verdict = await h.PrepareWorkspace().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(requests.Select(r => r.ResumeCommit), Is.EqualTo(new[] { "c1" }));
            Assert.That(context.Workspace!.BaseCommit, Is.EqualTo("base-0"));
            Assert.That(context.Diff, Is.Not.Null);
        });
    }

    [Test]
    public async Task RunAsync_SlotNoLongerHoldsTheCommit_RunsAgainFromTheStartAndForgetsTheCommit()
    {
        using var h = new StepHarness();
        var requests = new List<WorkspaceRequest>();
        h.WorkspaceManager = Failing(h, requests, r => r.ResumeCommit is null ? null : new WorkspaceException("commit c1 is gone"));
        var tests = new TestRunResult(TestOutcome.Passed, [], TimeSpan.Zero);
        var context = await LeasedAsync(h, h.NewJournal() with { CommitId = "c1", BaseCommit = "base-0", Tests = tests });

        var verdict = await h.PrepareWorkspace().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(requests.Select(r => r.ResumeCommit), Is.EqualTo(new[] { "c1", null }));
            Assert.That((stored!.CommitId, stored.Tests, stored.Push), Is.EqualTo(((string?)null, (TestRunResult?)null, (PushResult?)null)));
            Assert.That(stored.BaseCommit, Is.EqualTo(context.Workspace!.BaseCommit).And.Not.EqualTo("base-0"));
            Assert.That(events.OfType<RunWarning>().Single().Message, Is.EqualTo("The slot no longer holds commit c1; the task is run again from the start: commit c1 is gone"));
        });
    }

    [Test]
    public async Task RunAsync_PreparationFailsForGood_ThrowsAndMarksTheSlotSuspect()
    {
        using var h = new StepHarness();
        h.WorkspaceManager = Failing(h, [], _ => new WorkspaceException("the slot is not a git repository"));
        var context = await LeasedAsync(h);

        Assert.ThrowsAsync<WorkspaceException>(() => h.PrepareWorkspace().RunAsync(context, CancellationToken.None));

        Assert.That(context.SlotSuspect, Is.EqualTo("the slot is not a git repository"));
    }

    [Test]
    public async Task RunAsync_PreparationFailsTransiently_ThrowsWithoutSuspectingTheSlot()
    {
        using var h = new StepHarness();
        h.WorkspaceManager = Failing(h, [], _ => new WorkspaceException("the remote did not answer", isTransient: true));
        var context = await LeasedAsync(h);

        Assert.ThrowsAsync<WorkspaceException>(() => h.PrepareWorkspace().RunAsync(context, CancellationToken.None));

        Assert.That(context.SlotSuspect, Is.Null);
    }
}
