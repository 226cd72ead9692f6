using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Budgets;

[TestFixture]
public sealed class BudgetResolverTests
{
    private static BudgetResolver Resolver(BudgetOptions settings) => new(Options.Create(settings));

    private static Playbook PlaybookWith(TaskBudgets? budgets) => Playbook.Default with { Budgets = budgets };

    [Test]
    public void Limits_EachFigureFromTheMostSpecificSourceThatSetsIt()
    {
        var settings = new BudgetOptions
        {
            Attempt = new() { WallTime = TimeSpan.FromMinutes(10), Turns = 50, OutputTokens = 1000 },
            Task = new() { CostUsd = 5m, InputTokens = 9000 },
        };
        var playbook = PlaybookWith(new TaskBudgets { Attempt = new() { Turns = 30, OutputTokens = 2000 }, Task = new() { CostUsd = 3m } });
        var task = new TaskContext { Budgets = new TaskBudgets { Attempt = new() { OutputTokens = 4000 } } };

        var (attempt, total) = Resolver(settings).Limits(task, playbook);

        Assert.Multiple(() =>
        {
            Assert.That(attempt, Is.EqualTo(new BudgetLimits { WallTime = TimeSpan.FromMinutes(10), Turns = 30, OutputTokens = 4000 }));
            Assert.That(total, Is.EqualTo(new BudgetLimits { CostUsd = 3m, InputTokens = 9000 }));
        });
    }

    [Test]
    public void Limits_NothingSetAnywhere_NothingLimited()
    {
        var budget = Resolver(new BudgetOptions()).For(new TaskContext(), Playbook.Default, AgentSpend.None);

        Assert.Multiple(() =>
        {
            Assert.That(budget.IsLimited, Is.False);
            Assert.That(budget.WallTimeLeft, Is.Null);
        });
    }

    [Test]
    public void Unaffordable_FirstAttempt_AlwaysAffordable()
    {
        var resolver = Resolver(new BudgetOptions { Task = new() { WallTime = TimeSpan.FromSeconds(5) } });

        Assert.That(resolver.Unaffordable(resolver.For(new TaskContext(), Playbook.Default, AgentSpend.None)), Is.Null);
    }

    [TestCase(BudgetMeasure.Turns, "the task's budget is used up: turns 10 of 10 spent")]
    [TestCase(BudgetMeasure.InputTokens, "the task's budget is used up: input tokens 5,000 of 5,000 spent")]
    [TestCase(BudgetMeasure.OutputTokens, "the task's budget is used up: output tokens 800 of 500 spent")]
    [TestCase(BudgetMeasure.CostUsd, "the task's budget is used up: cost $2.50 of $2.50 spent")]
    public void Unaffordable_AFigureOfTheTaskBudgetUsedUp_RefusedNamingIt(BudgetMeasure measure, string reason)
    {
        var spent = new AgentSpend(TimeSpan.FromSeconds(1), 10, 5000, 800, 2.5m);
        var limits = measure switch
        {
            BudgetMeasure.Turns => new BudgetLimits { Turns = 10 },
            BudgetMeasure.InputTokens => new BudgetLimits { InputTokens = 5000 },
            BudgetMeasure.OutputTokens => new BudgetLimits { OutputTokens = 500 },
            _ => new BudgetLimits { CostUsd = 2.5m },
        };
        var resolver = Resolver(new BudgetOptions { Task = limits });

        var refused = resolver.Unaffordable(resolver.For(new TaskContext(), Playbook.Default, spent));

        Assert.Multiple(() =>
        {
            Assert.That(refused?.Reason, Is.EqualTo(reason));
            Assert.That(refused?.Breach.Scope, Is.EqualTo(BudgetScope.Task));
            Assert.That(refused?.Breach.Measure, Is.EqualTo(measure));
        });
    }

    [Test]
    public void Unaffordable_LessWallTimeLeftThanTheMinimum_Refused()
    {
        var resolver = Resolver(new BudgetOptions { Task = new() { WallTime = TimeSpan.FromMinutes(10) }, MinimumAttemptWallTime = TimeSpan.FromMinutes(2) });

        var refused = resolver.Unaffordable(resolver.For(new TaskContext(), Playbook.Default, new AgentSpend(TimeSpan.FromMinutes(9))));

        Assert.That(refused?.Reason, Is.EqualTo("60 s of the task's wall-time budget of 600 s is left, less than the 120 s one attempt needs (NecroCode:Budgets:MinimumAttemptWallTime)"));
    }

    [Test]
    public void Unaffordable_EnoughLeftOfEveryFigure_Affordable()
    {
        var resolver = Resolver(new BudgetOptions { Task = new() { WallTime = TimeSpan.FromMinutes(10), CostUsd = 1m, Turns = 20 } });

        var refused = resolver.Unaffordable(resolver.For(new TaskContext(), Playbook.Default, new AgentSpend(TimeSpan.FromMinutes(5), 19, CostUsd: 0.99m)));

        Assert.That(refused, Is.Null);
    }
}
