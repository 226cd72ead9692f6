using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

/// <summary>The implement step and the fix loop held to the agent's budgets, with an agent that reports usage but does not stop at a budget by itself.</summary>
[TestFixture]
public sealed class AgentAttemptBudgetTests
{
    /// <summary>An agent that writes a file and reports <paramref name="usage"/> for each attempt.</summary>
    private static FakeCodingAgent Reporting(AgentUsage usage) => new(async (request, cancellationToken) =>
    {
        await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, $"attempt-{request.Attempt}.txt"), "x", cancellationToken);
        return new AgentResult(true, 0) { Usage = usage };
    });

    [Test]
    public async Task Implement_OutputTokensOverTheAttemptBudget_BudgetExceededNamingTheFigure()
    {
        using var h = new StepHarness { Agent = Reporting(new AgentUsage(100, 12_345)) };
        h.Budgets.Attempt.OutputTokens = 10_000;
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.BudgetExceeded, "implement", "The agent 'fake' crossed its budget: output tokens 12,345 > budget 10,000 (per attempt).")));
            Assert.That(context.Implementations.Single().BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.OutputTokens, 12_345, 10_000)));
            Assert.That(context.Implementations.Single().Succeeded, Is.False);
            Assert.That(context.Implementations.Single().Spend.OutputTokens, Is.EqualTo(12_345));
        });
    }

    [Test]
    public async Task Implement_WithinItsBudget_TheAgentIsGivenItAndSucceeds()
    {
        using var h = new StepHarness { Agent = Reporting(new AgentUsage(100, 200) { Turns = 2 }) };
        h.Budgets.Attempt.Turns = 5;
        h.Budgets.Task.CostUsd = 3m;
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        var budget = ((FakeCodingAgent)h.Agent).Requests.Single().Budget;
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(budget?.Attempt.Turns, Is.EqualTo(5));
            Assert.That(budget?.Task.CostUsd, Is.EqualTo(3m));
            Assert.That(budget?.SpentBefore, Is.EqualTo(AgentSpend.None));
            Assert.That(budget?.GracePeriod, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public async Task Implement_NothingLimited_TheAgentIsGivenNoBudget()
    {
        using var h = new StepHarness { Agent = Reporting(new AgentUsage(100, 200)) };
        var context = await h.PreparedAsync();

        await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.That(((FakeCodingAgent)h.Agent).Requests.Single().Budget, Is.Null);
    }

    [Test]
    public async Task FixLoop_TaskCostUsedUp_TheNextAttemptIsNotStarted()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed), Agent = Reporting(new AgentUsage(100, 200, null, 1m)) };
        h.Budgets.Task.CostUsd = 1m;
        var context = await h.PreparedAsync();
        await h.Implement().RunAsync(context, CancellationToken.None);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        const string Message = "Attempt 2 of the agent 'fake' was not started: the task's budget is used up: cost $1.00 of $1.00 spent.";
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(new StepVerdict(StepOutcome.Failed)));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.BudgetExceeded));
            Assert.That(context.Error, Is.EqualTo(new RunError("fix-2", Message)));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Has.Count.EqualTo(1));
            Assert.That(context.Implementations.Select(i => i.Attempt), Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public async Task FixLoop_LessTaskWallTimeLeftThanOneAttemptNeeds_TheNextAttemptIsNotStarted()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed), Agent = Reporting(new AgentUsage(1, 1)) };
        h.Budgets.Task.WallTime = TimeSpan.FromHours(1);
        h.Budgets.MinimumAttemptWallTime = TimeSpan.FromDays(1);
        var context = await h.PreparedAsync();
        await h.Implement().RunAsync(context, CancellationToken.None);

        await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.BudgetExceeded));
            Assert.That(context.Error?.Message, Does.StartWith("Attempt 2 of the agent 'fake' was not started: ")
                .And.EndWith(" of the task's wall-time budget of 3,600 s is left, less than the 86,400 s one attempt needs (NecroCode:Budgets:MinimumAttemptWallTime)."));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task FixLoop_FixAttemptCrossesTheTaskBudget_BudgetExceededCountingEveryAttempt()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed), Agent = Reporting(new AgentUsage(600, 10)) };
        h.Budgets.Task.InputTokens = 1000;
        var context = await h.PreparedAsync();
        await h.Implement().RunAsync(context, CancellationToken.None);

        await h.Test().RunAsync(context, CancellationToken.None);

        var second = ((FakeCodingAgent)h.Agent).Requests[1].Budget;
        Assert.Multiple(() =>
        {
            Assert.That(second?.SpentBefore.InputTokens, Is.EqualTo(600));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.BudgetExceeded));
            Assert.That(context.Error, Is.EqualTo(new RunError("fix-2", "The agent 'fake' crossed its budget: input tokens 1,200 > budget 1,000 (per task).")));
            Assert.That(context.Implementations.Select(i => i.BudgetExceeded?.Scope), Is.EqualTo(new BudgetScope?[] { null, BudgetScope.Task }));
        });
    }

    [Test]
    public async Task FixLoop_WithinTheTaskBudget_FixAttemptsRunAsBefore()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed), Agent = Reporting(new AgentUsage(600, 10, null, 0.4m)) };
        h.Budgets.Task.CostUsd = 1m;
        var context = await h.PreparedAsync();
        await h.Implement().RunAsync(context, CancellationToken.None);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Implementations.Select(i => i.Spend.CostUsd), Is.EqualTo(new decimal?[] { 0.4m, 0.4m }));
        });
    }

    [Test]
    public async Task Implement_TaskBudgetsWinOverTheSettingsFigureByFigure()
    {
        using var h = new StepHarness { Agent = Reporting(new AgentUsage(100, 600)) };
        h.Budgets.Attempt.OutputTokens = 100;
        h.Budgets.Attempt.Turns = 7;
        var task = new TaskContext { TaskId = "1.1", SpecName = "demo", Title = "Demo", Budgets = new TaskBudgets { Attempt = new BudgetLimits { OutputTokens = 1000 } } };
        var context = await h.PreparedAsync(task);

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        var budget = ((FakeCodingAgent)h.Agent).Requests.Single().Budget;
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(budget?.Attempt, Is.EqualTo(new BudgetLimits { OutputTokens = 1000, Turns = 7 }));
        });
    }
}
