using NecroCode.AgentRunner.Orchestration;
using System.Text;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class UploadArtifactsStepTests
{
    private static string Text(StepHarness h, RunContext context, string name) =>
        Encoding.UTF8.GetString(h.Artifacts.Content[context.Artifacts.Single(a => a.Name == name).Uri!]);

    [Test]
    public void Check_TaskNotClaimed_SkippedNothingStoredUnderAnotherRunnersTask()
    {
        using var h = new StepHarness();
        var context = h.Context();

        Assert.That(h.UploadArtifacts().Check(context), Is.EqualTo(StepVerdict.Skipped));
    }

    [Test]
    public async Task Check_TaskClaimed_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.UploadArtifacts().Check(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_NothingProduced_SucceedsStoringNothing()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        var verdict = await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(h.Artifacts.Content, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_DiffAndTests_StoresBothAndRecordsThemInTheRegistryAndJournal()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(context.Key, CancellationToken.None);
        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(context.Artifacts.Select(a => (a.Kind, a.Name)), Is.EqualTo(new[] { (ArtifactKind.Diff, "diff.patch"), (ArtifactKind.TestResults, "test-results.json") }));
            Assert.That(Text(h, context, "diff.patch"), Does.Contain("src/feature.txt"));
            Assert.That(Text(h, context, "test-results.json"), Does.Contain("\"true\""));
            Assert.That(record!.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "test-results.json" }));
            Assert.That(stored!.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "test-results.json" }));
        });
    }

    [Test]
    public async Task RunAsync_FailedRun_StoresTheErrorLog()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        context.Fail(RunOutcome.AgentFailed, "implement", "The agent exited with code 3.");

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        var log = Text(h, context, "error.log");
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain($"task: {context.Key}"));
            Assert.That(log, Does.Contain("outcome: AgentFailed"));
            Assert.That(log, Does.Contain("step: implement"));
            Assert.That(log, Does.Contain("exception: none"));
            Assert.That(log, Does.EndWith($"The agent exited with code 3.{Environment.NewLine}"));
        });
    }

    [Test]
    public async Task RunAsync_FixLoop_StoresEachFailedAttemptAndEachAgentOutput()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();
        var failed = context.Tests! with { Outcome = TestOutcome.Failed };
        context.FailedAttempts.Add(new AttemptRecord(1, context.Diff, failed));
        context.AgentOutputs[1] = "first try\n";
        context.AgentOutputs[2] = "second try\n";

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(context.Artifacts.Select(a => a.Name), Is.EqualTo(new[]
            {
                "diff.patch", "test-results.json", "diff.attempt-1.patch", "test-results.attempt-1.json", "agent-output.attempt-1.log", "agent-output.attempt-2.log",
            }));
            Assert.That(Text(h, context, "agent-output.attempt-2.log"), Is.EqualTo("second try\n"));
        });
    }

    [Test]
    public async Task RunAsync_OneAgentAttempt_NoAgentOutputArtifact()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();
        context.AgentOutputs[1] = "only try\n";

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        Assert.That(context.Artifacts.Select(a => a.Name), Has.None.StartsWith("agent-output"));
    }

    [Test]
    public async Task RunAsync_DiffHoldsASecret_StoredMasked()
    {
        using var h = new StepHarness();
        h.Masker.AddSecret("s3cr3t-value");
        var context = await h.PreparedAsync();
        await StepHarness.WriteAsync(context, "config.txt", "token=s3cr3t-value\n");
        context.Diff = await h.Workspace.GetDiffAsync(context.Workspace!.Path, context.Workspace.BaseCommit, CancellationToken.None);

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        Assert.That(Text(h, context, "diff.patch"), Does.Not.Contain("s3cr3t-value").And.Contain("config.txt"));
    }

    [Test]
    public async Task RunAsync_ResumedRunWithTheSameArtifactStored_NotStoredAgain()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();
        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);
        var first = context.Artifacts.ToList();
        h.Artifacts.FailWith = "the store is down";
        context.Artifacts.Clear();

        await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        Assert.That(context.Artifacts, Is.EqualTo(first));
    }

    [Test]
    public async Task RunAsync_StoreFails_KeptLocallyWithAWarning()
    {
        using var h = new StepHarness();
        h.Artifacts.FailWith = "the store is down";
        var context = await h.TestedAsync();

        var verdict = await h.UploadArtifacts().RunAsync(context, CancellationToken.None);

        var diff = context.Artifacts.First(a => a.Name == "diff.patch");
        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That((diff.Uri, diff.Error), Is.EqualTo(((Uri?)null, "the store is down")));
            Assert.That(File.Exists(diff.LocalPath), Is.True);
            Assert.That(events.OfType<RunWarning>().Select(w => w.Step), Has.All.EqualTo("upload-artifacts"));
        });
    }
}
