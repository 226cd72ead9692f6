using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class ReportStepTests
{
    private static async Task<RunContext> PushedAsync(StepHarness h, RunJournal? previous = null)
    {
        var context = await h.ClaimedAsync(previous: previous);
        context.CommitId = "c1";
        context.Artifacts.Add(new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("memory://artifacts/diff.patch"), 10, "sha"));
        context.Artifacts.Add(new ArtifactRecord(ArtifactKind.TestResults, "test-results.json", null, 10, "sha", "/kept/test-results.json", "the store is down"));
        return context;
    }

    [Test]
    public void Check_TaskNotClaimed_SkippedNothingReportedForAnotherRunnersTask()
    {
        using var h = new StepHarness();
        var context = h.Context();

        Assert.That(h.Report().Check(context), Is.EqualTo(StepVerdict.Skipped));
    }

    [Test]
    public async Task Check_TaskClaimed_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.Report().Check(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_TaskNoLongerHeld_RecordsNothingAndStopsTheRun()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h);
        h.Registry.ExpireClaim(context.Key);
        var eventsBefore = (await h.Registry.GetEventsAsync(context.Key, CancellationToken.None)).Count;

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(context.Key, CancellationToken.None);
        var events = await h.Registry.GetEventsAsync(context.Key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(verdict.Failure.Message, Does.Contain("no longer holds").And.Contain("Done state was not recorded"));
            Assert.That(record!.State, Is.EqualTo(TaskState.Running));
            Assert.That(events, Has.Count.EqualTo(eventsBefore));
            Assert.That(context.ClaimLost, Is.EqualTo(verdict.Failure.Message));
            Assert.That(context.Reported, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_SucceededRun_TaskDoneAndTaskCompletedWithBranchCommitAndStoredArtifacts()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h);

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(context.Key, CancellationToken.None);
        var completed = (await h.Registry.GetEventsAsync(context.Key, CancellationToken.None)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Reported, Is.True);
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That((completed.Type, completed.RunnerId, completed.Message), Is.EqualTo((TaskEventTypes.TaskCompleted, StepHarness.RunnerId, $"Pushed {StepHarness.Branch} at c1.")));
            Assert.That(completed.Data, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["outcome"] = "Succeeded",
                ["branch"] = StepHarness.Branch,
                ["commit"] = "c1",
                ["artifact:diff.patch"] = "memory://artifacts/diff.patch",
            }));
        });
    }

    [Test]
    public async Task RunAsync_AttemptsRan_TheEventRecordsTheSpendPerTaskAndPerAttempt()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h);
        context.Implementations.Add(new ImplementationResult(false, 0, TimeSpan.FromSeconds(12.5), "tests failed", 1) { Usage = new AgentUsage(1000, 200, null, 0.25m) { Turns = 3 } });
        context.Implementations.Add(new ImplementationResult(false, 130, TimeSpan.FromSeconds(30), "over budget", 2)
        {
            Usage = new AgentUsage(2500, 12_345, null, 0.5m) { Turns = 4 },
            BudgetExceeded = new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.OutputTokens, 12_345, 10_000),
        });

        await h.Report().RunAsync(context, CancellationToken.None);

        var data = (await h.Registry.GetEventsAsync(context.Key, CancellationToken.None)).Single().Data!;
        Assert.That(data.Where(p => p.Key.StartsWith("spend:", StringComparison.Ordinal) || p.Key == "budgetExceeded"), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["spend:wallTimeSeconds"] = "42.5",
            ["spend:turns"] = "7",
            ["spend:inputTokens"] = "3500",
            ["spend:outputTokens"] = "12545",
            ["spend:costUsd"] = "0.75",
            ["spend:attempt-1"] = "wall time 12.5 s, 3 turns, 1,000 input tokens, 200 output tokens, cost $0.25",
            ["spend:attempt-2"] = "wall time 30 s, 4 turns, 2,500 input tokens, 12,345 output tokens, cost $0.50",
            ["budgetExceeded"] = "output tokens 12,345 > budget 10,000 (per attempt)",
        }));
    }

    [Test]
    public async Task RunAsync_SucceededRun_JournalsTheReportedEvent()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h);

        await h.Report().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.That(stored!.ReportedEvent, Is.EqualTo(TaskEventTypes.TaskCompleted));
    }

    [Test]
    public async Task RunAsync_FailedRun_TaskFailedWithTheRunsError()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        context.Fail(RunOutcome.TestsFailed, "test", "The tests did not pass.");

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(context.Key, CancellationToken.None);
        var failed = (await h.Registry.GetEventsAsync(context.Key, CancellationToken.None)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
            Assert.That((failed.Type, failed.Message, failed.Data!["outcome"]), Is.EqualTo((TaskEventTypes.TaskFailed, "The tests did not pass.", "TestsFailed")));
            Assert.That(failed.Data.ContainsKey("commit"), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_ResumedRunThatAlreadyReported_SkippedWithoutASecondEvent()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h, h.NewJournal() with { ReportedEvent = TaskEventTypes.TaskCompleted });

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        var events = await h.Registry.GetEventsAsync(context.Key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(context.Reported, Is.True);
            Assert.That(events, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_ResumedRunKilledBetweenTheEventAndTheJournal_SkippedFromTheRegistrysEvent()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h, h.NewJournal());
        await h.Registry.AppendEventAsync(new TaskEvent(context.Key, TaskEventTypes.TaskCompleted, DateTimeOffset.UtcNow, StepHarness.RunnerId), CancellationToken.None);

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        var events = await h.Registry.GetEventsAsync(context.Key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_FreshRunWithAnEarlierRunnersEvent_ReportsAgain()
    {
        using var h = new StepHarness();
        var context = await PushedAsync(h);
        await h.Registry.AppendEventAsync(new TaskEvent(context.Key, TaskEventTypes.TaskCompleted, DateTimeOffset.UtcNow, StepHarness.RunnerId), CancellationToken.None);

        var verdict = await h.Report().RunAsync(context, CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
    }
}
