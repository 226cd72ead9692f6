using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class PushStepTests
{
    [Test]
    public async Task Check_TestStepHasNotRun_RefusedAlways()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();
        context.CommitId = "c1";

        var verdict = h.Push().Check(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict!.Failure!.Outcome, Is.EqualTo(RunOutcome.Refused));
            Assert.That(verdict.Failure.Always, Is.True);
            Assert.That(verdict.Failure.Message, Does.StartWith("Step push refused: the test step has not run;"));
        });
    }

    [Test]
    public async Task Check_TestedButNotCommitted_NeedsCommit()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        Assert.That(h.Push().Check(context), Is.EqualTo(StepVerdict.MissingPrerequisite("push", "commit")));
    }

    [Test]
    public async Task Check_Committed_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();

        Assert.That(h.Push().Check(context), Is.Null);
    }

    [Test]
    public async Task Resume_JournalHoldsAPushOfThisCommit_SkippedWithThePushRestored()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();
        var pushed = new PushResult(true, "origin", StepHarness.Branch, context.CommitId, 1);
        context.Journal = context.Journal! with { Push = pushed };

        var verdict = h.Push().Resume(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(context.Push, Is.SameAs(pushed));
        });
    }

    [Test]
    public async Task Resume_JournalHoldsAPushOfAnotherCommit_PushesAgain()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();
        context.Journal = context.Journal! with { Push = new PushResult(true, "origin", StepHarness.Branch, "an-older-commit", 1) };

        Assert.Multiple(() =>
        {
            Assert.That(h.Push().Resume(context), Is.Null);
            Assert.That(context.Push, Is.Null);
        });
    }

    [Test]
    public async Task Resume_JournalHoldsAFailedPush_PushesAgain()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();
        context.Journal = context.Journal! with { Push = new PushResult(false, "origin", StepHarness.Branch, context.CommitId, 3, "rejected") };

        Assert.That(h.Push().Resume(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_BranchFree_PushesClaimsTheBranchAndJournalsThePush()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();

        var verdict = await h.Push().RunAsync(context, CancellationToken.None);

        var push = h.Workspace.Pushes.Single();
        var claim = await h.Registry.GetBranchClaimAsync(StepHarness.Branch, CancellationToken.None);
        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That((push.Path, push.Branch, push.ExpectedCommit), Is.EqualTo((h.SlotPath, StepHarness.Branch, context.CommitId)));
            Assert.That(claim!.IsOwnedBy(context.Key), Is.True);
            Assert.That(context.Push!.Succeeded, Is.True);
            Assert.That(stored!.Push!.Succeeded, Is.True);
            Assert.That(h.BranchLock.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_BranchOwnedByAnotherTask_ConflictWithoutPushing()
    {
        using var h = new StepHarness();
        var context = await h.CommittedAsync();
        await h.Registry.TryClaimBranchAsync(StepHarness.Branch, new TaskKey("demo", "9.9"), "runner-other", CancellationToken.None);

        var verdict = await h.Push().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(verdict.Failure.Message, Does.StartWith($"The branch '{StepHarness.Branch}' of task {context.Key} belongs to task demo/9.9, which pushed it first (runner runner-other,"));
            Assert.That(h.Workspace.Pushes, Is.Empty);
            Assert.That(h.BranchLock.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_PushFails_PushFailedAndNothingJournaled()
    {
        using var h = new StepHarness();
        h.Workspace.PushError = "rejected: non-fast-forward";
        var context = await h.CommittedAsync();

        var verdict = await h.Push().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.PushFailed, "push", $"Pushing {StepHarness.Branch} failed after 1 attempt(s): rejected: non-fast-forward")));
            Assert.That(stored!.Push, Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_BranchBeingPushedByAnotherRunner_ThrowsConflict()
    {
        using var h = new StepHarness();
        h.Options.BranchLockWait = TimeSpan.Zero;
        var context = await h.CommittedAsync();
        await using var held = await h.BranchLock.AcquireBranchAsync(StepHarness.Branch, "runner-other", TimeSpan.Zero, CancellationToken.None);

        Assert.ThrowsAsync<TaskConflictException>(() => h.Push().RunAsync(context, CancellationToken.None));
    }
}
