using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Budgets;

namespace NecroCode.AgentRunner.Tests.Budgets;

[TestFixture]
public sealed class BudgetOptionsValidatorTests
{
    private static BudgetOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddAgentRunner(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<BudgetOptions>>().Value;
    }

    [Test]
    public void Bind_NestedLimits_FromTheirSettings()
    {
        var options = Bind(new()
        {
            ["NecroCode:Budgets:Attempt:WallTime"] = "00:10:00",
            ["NecroCode:Budgets:Attempt:OutputTokens"] = "20000",
            ["NecroCode:Budgets:Task:CostUsd"] = "2.5",
            ["NecroCode:Budgets:Task:Turns"] = "40",
            ["NecroCode:Budgets:GracePeriod"] = "00:00:10",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.Attempt, Is.EqualTo(new BudgetLimits { WallTime = TimeSpan.FromMinutes(10), OutputTokens = 20000 }));
            Assert.That(options.Task, Is.EqualTo(new BudgetLimits { CostUsd = 2.5m, Turns = 40 }));
            Assert.That(options.GracePeriod, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void Bind_BadFigure_RefusedNamingTheSetting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["NecroCode:Budgets:Task:InputTokens"] = "0" }));

        Assert.That(ex!.Message, Does.Contain("NecroCode:Budgets:Task:InputTokens must be more than 0; was 0."));
    }

    [Test]
    public void Validate_BadFigures_EachNamedBySetting()
    {
        var options = new BudgetOptions
        {
            Attempt = new() { OutputTokens = 0 },
            Task = new() { CostUsd = -1m, WallTime = TimeSpan.Zero },
        };

        var result = new BudgetOptionsLimitsValidator().Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "NecroCode:Budgets:Attempt:OutputTokens must be more than 0; was 0.",
            "NecroCode:Budgets:Task:WallTime must be more than 0; was 00:00:00.",
            "NecroCode:Budgets:Task:CostUsd must be more than 0; was -1.",
        }));
    }

    [Test]
    public void Validate_GracePeriodOutOfRange_Fails()
    {
        var result = new BudgetOptionsValidator().Validate(null, new BudgetOptions { GracePeriod = TimeSpan.FromHours(1) });

        Assert.That(result.Failed, Is.True);
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new BudgetOptionsValidator().Validate(null, new BudgetOptions()).Succeeded, Is.True);
            Assert.That(new BudgetOptionsLimitsValidator().Validate(null, new BudgetOptions()).Succeeded, Is.True);
        });
    }
}
