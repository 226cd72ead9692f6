using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class ImplementStepTests
{
    [Test]
    public async Task Check_NoWorkspace_NeedsPrepareWorkspace()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.Implement().Check(context), Is.EqualTo(StepVerdict.MissingPrerequisite("implement", "prepare-workspace")));
    }

    [Test]
    public async Task Check_WorkspacePrepared_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();

        Assert.That(h.Implement().Check(context), Is.Null);
    }

    [Test]
    public async Task Resume_JournalHoldsTheCommit_Skipped()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync(previous: h.NewJournal() with { CommitId = "c1" });

        Assert.That(h.Implement().Resume(context), Is.EqualTo(StepVerdict.Skipped));
    }

    [Test]
    public async Task Resume_JournalHoldsNoCommit_RunsAgain()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync(previous: h.NewJournal() with { BaseCommit = "base-0" });

        Assert.That(h.Implement().Resume(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_AgentChangesTheWorkspace_SucceedsWithTheDiffAndTheAttempt()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        var agent = (FakeCodingAgent)h.Agent;
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Diff!.Changes.Select(c => c.Path), Is.EqualTo(new[] { "src/feature.txt" }));
            Assert.That(context.Implementations.Select(i => (i.Succeeded, i.Attempt)), Is.EqualTo(new[] { (true, 1) }));
            Assert.That(context.AgentOutputs[1], Is.EqualTo("wrote src/feature.txt\n"));
            Assert.That(agent.Requests.Single().StepName, Is.EqualTo("implement"));
            Assert.That(agent.Requests.Single().Prompt, Does.Contain("Add a feature"));
        });
    }

    [Test]
    public async Task RunAsync_AgentFails_AgentFailedWithItsError()
    {
        using var h = new StepHarness { Agent = FakeCodingAgent.Exiting(3) };
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.AgentFailed, "implement", "The agent exited with code 3.")));
            Assert.That(context.Implementations.Single().ExitCode, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task RunAsync_AgentTimesOut_TimedOut()
    {
        using var h = new StepHarness { Agent = new FakeCodingAgent((_, _) => Task.FromResult(new AgentResult(false, null, "The agent ran out of time.", TimedOut: true))) };
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.TimedOut, "implement", "The agent ran out of time.")));
    }

    [Test]
    public async Task RunAsync_AgentPassesItsOwnTimeout_TimedOutNamingTheLimit()
    {
        using var h = new StepHarness { Agent = new FakeCodingAgent(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new AgentResult(true, 0);
        }) };
        h.Options.AgentTimeout = TimeSpan.FromMilliseconds(50);
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.TimedOut, "implement", "The agent ran past its timeout of 00:00:00.0500000.")));
    }

    [Test]
    public async Task RunAsync_AgentChangesNothing_AgentFailed()
    {
        using var h = new StepHarness { Agent = FakeCodingAgent.Exiting(0) };
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.AgentFailed, "implement", "The agent 'fake' finished without changing anything.")));
    }

    [Test]
    public async Task RunAsync_AgentChangesNothingAndNoChangeRequired_Succeeds()
    {
        using var h = new StepHarness { Agent = FakeCodingAgent.Exiting(0) };
        h.Options.RequireChanges = false;
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
    }

    [Test]
    public async Task RunAsync_ChangeOutsideTheAllowedPaths_Refused()
    {
        using var h = new StepHarness();
        h.Policy.AllowedPaths.Add("docs/**");
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Refused));
            Assert.That(verdict.Failure.Message, Does.StartWith("The change was refused (1 problem): ").And.Contain("src/feature.txt"));
        });
    }

    [Test]
    public async Task RunAsync_AgentErrorHoldsASecret_AttemptRecordedMasked()
    {
        using var h = new StepHarness { Agent = new FakeCodingAgent((_, _) => Task.FromResult(new AgentResult(false, 1, "bad token s3cr3t"))) };
        h.Masker.AddSecret("s3cr3t");
        var context = await h.PreparedAsync();

        await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(context.Implementations.Single().Error, Is.EqualTo("bad token ***"));
    }
}
