using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class CommitStepTests
{
    [Test]
    public async Task Check_TestStepHasNotRun_RefusedAlways()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();

        var verdict = h.Commit().Check(context);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(
            RunOutcome.Refused, "commit", "Step commit refused: the test step has not run; a change is committed and pushed only after this run's test step passed.", always: true)));
    }

    [Test]
    public async Task Check_TestsFailed_TestsFailedAlways()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();
        context.TestsPassed = false;
        context.Tests = context.Tests! with { Outcome = TestOutcome.Failed };

        var verdict = h.Commit().Check(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict!.Failure!.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(verdict.Failure.Always, Is.True);
            Assert.That(verdict.Failure.Message, Does.StartWith("Step commit refused: the tests did not pass (failed);"));
        });
    }

    [Test]
    public async Task Check_UntestedAfterTheRunFailed_AlsoWarns()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();
        context.Fail(RunOutcome.AgentFailed, "implement", "The agent gave up.");

        h.Commit().Check(context);

        var events = await h.EventsAsync(context);
        Assert.That(events.OfType<RunWarning>().Select(w => w.Step), Is.EqualTo(new[] { "commit" }));
    }

    [Test]
    public async Task Check_TestsPassed_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        Assert.That(h.Commit().Check(context), Is.Null);
    }

    [Test]
    public async Task Resume_JournalHoldsTheCommit_SkippedWithTheCommitRestored()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();
        context.Journal = context.Journal! with { CommitId = "c1" };

        var verdict = h.Commit().Resume(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(context.CommitId, Is.EqualTo("c1"));
        });
    }

    [Test]
    public async Task Resume_JournalHoldsNoCommit_CommitsAgain()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        Assert.That(h.Commit().Resume(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_TestedChange_CommitsWithTheTemplateMessageAndJournalsTheCommit()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        var verdict = await h.Commit().RunAsync(context, CancellationToken.None);

        var commit = h.Workspace.Commits.Single();
        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That((commit.Path, commit.Message, commit.BaseCommit), Is.EqualTo((h.SlotPath, "feat(task-1.1): Add a feature", context.Workspace!.BaseCommit)));
            Assert.That(context.CommitId, Is.Not.Null);
            Assert.That(stored!.CommitId, Is.EqualTo(context.CommitId));
        });
    }

    [Test]
    public async Task RunAsync_MessageHoldsASecret_CommittedMasked()
    {
        using var h = new StepHarness();
        h.Masker.AddSecret("s3cr3t");
        var context = await h.TestedAsync(StepHarness.NewTask() with { Title = "Use s3cr3t" });

        await h.Commit().RunAsync(context, CancellationToken.None);

        Assert.That(h.Workspace.Commits.Single().Message, Is.EqualTo("feat(task-1.1): Use ***"));
    }

    [Test]
    public async Task RunAsync_TestsWroteOutsideTheAllowedPaths_RefusedAndNothingCommitted()
    {
        using var h = new StepHarness();
        h.Policy.AllowedPaths.Add("src/**");
        var context = await h.TestedAsync();
        await StepHarness.WriteAsync(context, "build/output.bin", "written by a test command\n");

        var verdict = await h.Commit().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Refused));
            Assert.That(verdict.Failure.Message, Does.Contain("build/output.bin"));
            Assert.That(context.Diff!.Changes.Select(c => c.Path), Does.Contain("build/output.bin"));
            Assert.That(h.Workspace.Commits, Is.Empty);
        });
    }
}
