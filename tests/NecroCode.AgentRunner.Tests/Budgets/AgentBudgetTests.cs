namespace NecroCode.AgentRunner.Tests.Budgets;

[TestFixture]
public sealed class AgentBudgetTests
{
    private static AgentBudget Budget(BudgetLimits attempt, BudgetLimits task, AgentSpend? before = null) =>
        new(attempt, task, before ?? AgentSpend.None, TimeSpan.FromSeconds(30));

    [Test]
    public void Check_CountAtItsBudget_NotCrossed()
    {
        var budget = Budget(new() { OutputTokens = 1000 }, new());

        Assert.That(budget.Check(new AgentSpend(TimeSpan.Zero, OutputTokens: 1000)), Is.Null);
    }

    [Test]
    public void Check_WallTimeAtItsBudget_Reached()
    {
        var budget = Budget(new() { WallTime = TimeSpan.FromSeconds(90) }, new());

        Assert.That(budget.Check(new AgentSpend(TimeSpan.FromSeconds(90)))?.Description, Is.EqualTo("wall time 90 s ≥ budget 90 s (per attempt)"));
    }

    [Test]
    public void Check_BothCrossed_TheAttemptsBudgetIsNamedFirst()
    {
        var budget = Budget(new() { OutputTokens = 10_000 }, new() { OutputTokens = 5_000 });

        Assert.That(budget.Check(new AgentSpend(TimeSpan.Zero, OutputTokens: 12_345))?.Description, Is.EqualTo("output tokens 12,345 > budget 10,000 (per attempt)"));
    }

    [Test]
    public void Check_TaskBudget_CountsTheEarlierAttempts()
    {
        var budget = Budget(new(), new() { CostUsd = 1m }, new AgentSpend(TimeSpan.FromMinutes(1), CostUsd: 0.75m));

        Assert.That(budget.Check(new AgentSpend(TimeSpan.Zero, CostUsd: 0.5m)), Is.EqualTo(new BudgetBreach(BudgetScope.Task, BudgetMeasure.CostUsd, 1.25m, 1m)));
    }

    [Test]
    public void Check_FigureNotReported_NotChecked()
    {
        var budget = Budget(new() { CostUsd = 0.01m, Turns = 1 }, new());

        Assert.That(budget.Check(new AgentSpend(TimeSpan.FromHours(1), InputTokens: 1_000_000)), Is.Null);
    }

    [Test]
    public void WallTimeLeft_TheShorterOfTheAttemptsAndWhatIsLeftOfTheTasks()
    {
        var before = new AgentSpend(TimeSpan.FromMinutes(8));

        Assert.Multiple(() =>
        {
            Assert.That(Budget(new() { WallTime = TimeSpan.FromMinutes(5) }, new() { WallTime = TimeSpan.FromMinutes(10) }, before).WallTimeLeft, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(Budget(new() { WallTime = TimeSpan.FromMinutes(1) }, new() { WallTime = TimeSpan.FromMinutes(10) }, before).WallTimeLeft, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(Budget(new(), new() { WallTime = TimeSpan.FromMinutes(5) }, before).WallTimeLeft, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [TestCase(BudgetMeasure.Turns, 12, "12 turns")]
    [TestCase(BudgetMeasure.CostUsd, 1.5, "cost $1.50")]
    [TestCase(BudgetMeasure.WallTime, 75.25, "wall time 75.3 s")]
    public void SpendText_NamesEachFigure(BudgetMeasure measure, double figure, string expected)
    {
        var value = (decimal)figure;
        var spend = measure switch
        {
            BudgetMeasure.Turns => new AgentSpend(TimeSpan.Zero, Turns: (int)value),
            BudgetMeasure.CostUsd => new AgentSpend(TimeSpan.Zero, CostUsd: value),
            _ => new AgentSpend(TimeSpan.FromSeconds(figure)),
        };

        Assert.That(AgentRunner.Budgets.SpendText.Describe(spend), Does.Contain(expected));
    }

    [Test]
    public void Problems_FigureNotMoreThanZero_NamedWithItsValue()
    {
        var limits = new BudgetLimits { WallTime = TimeSpan.Zero, Turns = 0, OutputTokens = -5, CostUsd = 1m };

        Assert.That(limits.Problems(), Is.EqualTo(new[]
        {
            (BudgetMeasure.WallTime, "must be more than 0; was 00:00:00."),
            (BudgetMeasure.Turns, "must be more than 0; was 0."),
            (BudgetMeasure.OutputTokens, "must be more than 0; was -5."),
        }));
    }
}
