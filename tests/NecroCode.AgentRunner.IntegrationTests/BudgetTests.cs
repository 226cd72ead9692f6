using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// Budgets end to end: the runner composed as the host does, the Claude Code preset run as a stand-in script that
/// streams its format with usage figures, real git and real processes.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BudgetTests
{
    private const string Init = """{"type":"system","subtype":"init","model":"claude-sonnet-4-5"}""";

    /// <summary>A Claude Code stand-in: <paramref name="work"/>, then a final result costing <paramref name="cost"/>.</summary>
    private static string Claude(Sandbox sandbox, string work, decimal cost) => Executable(sandbox, """
        echo 'INIT'
        WORK
        echo '{"type":"assistant","message":{"id":"msg_1","content":[{"type":"text","text":"done"}],"usage":{"input_tokens":100,"output_tokens":250}}}'
        echo '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"Done.","total_cost_usd":COST,"usage":{"input_tokens":100,"output_tokens":250}}'
        """.Replace("INIT", Init, StringComparison.Ordinal).Replace("WORK", work, StringComparison.Ordinal).Replace("COST", cost.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    /// <summary>Writes the stand-in as an executable: the preset runs it as its command.</summary>
    private static string Executable(Sandbox sandbox, string body)
    {
        var path = sandbox.Agent("claude", body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static Dictionary<string, string?> Settings(string agent, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["NecroCode:Agent:Kind"] = "claude-code",
            ["NecroCode:ClaudeCode:Command"] = agent,
            ["NecroCode:Budgets:GracePeriod"] = "00:00:05",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Test]
    public async Task RunAsync_AgentCrossesItsOutputTokenBudget_WrapsUpAndTheRunEndsBudgetExceeded()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = Executable(sandbox, """
            trap 'echo "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,\"num_turns\":3,\"total_cost_usd\":0.05,\"usage\":{\"input_tokens\":300,\"output_tokens\":1500}}"; exit 130' INT
            echo 'INIT'
            echo 'changed' > notes.txt
            for i in 1 2 3; do
              echo '{"type":"assistant","message":{"id":"msg_'"$i"'","content":[{"type":"text","text":"step '"$i"'"}],"usage":{"input_tokens":100,"output_tokens":500}}}'
              sleep 0.2
            done
            sleep 600 & wait
            """.Replace("INIT", Init, StringComparison.Ordinal));
        await using var services = RunnerFactory.Create(sandbox, agent, Settings(agent, ("NecroCode:Budgets:Attempt:OutputTokens", "1000")));
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var completion = (await services.GetRequiredService<ITaskRegistry>().GetEventsAsync(TaskKey.Of(task), CancellationToken.None)).Last(e => e.Type == TaskEventTypes.TaskFailed);
        var summary = new StringWriter();
        SummaryWriter.Write(summary, result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.BudgetExceeded), result.Error?.Message);
            Assert.That(result.Error?.Message, Is.EqualTo("Claude Code crossed its budget: output tokens 1,500 > budget 1,000 (per attempt); it exited with code 130."));
            Assert.That(result.Implementations.Single().BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.OutputTokens, 1500, 1000)));
            Assert.That(result.Spend with { WallTime = TimeSpan.Zero }, Is.EqualTo(new AgentSpend(TimeSpan.Zero, 3, 300, 1500, 0.05m)));
            Assert.That(result.Push, Is.Null);
            Assert.That(completion.Data!["outcome"], Is.EqualTo("BudgetExceeded"));
            Assert.That(completion.Data["budgetExceeded"], Is.EqualTo("output tokens 1,500 > budget 1,000 (per attempt)"));
            Assert.That(completion.Data["spend:outputTokens"], Is.EqualTo("1500"));
            Assert.That(completion.Data["spend:costUsd"], Is.EqualTo("0.05"));
            Assert.That(summary.ToString(), Does.Contain("Spend     wall time ").And.Contain("3 turns, 300 input tokens, 1,500 output tokens, cost $0.05"));
        });
    }

    [Test]
    public async Task RunAsync_TaskBudgetWinsOverTheSettings_TheRunSucceedsWithItsSpendRecorded()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = Claude(sandbox, StandInAgents.ImplementsSubtraction, 0.02m);
        await using var services = RunnerFactory.Create(sandbox, agent, Settings(agent, ("NecroCode:Budgets:Attempt:OutputTokens", "100"), ("NecroCode:Budgets:Task:CostUsd", "1")));
        var task = RunnerFactory.Task() with { Budgets = new TaskBudgets { Attempt = new BudgetLimits { OutputTokens = 10_000 } } };

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var completion = (await services.GetRequiredService<ITaskRegistry>().GetEventsAsync(TaskKey.Of(task), CancellationToken.None)).Last(e => e.Type == TaskEventTypes.TaskCompleted);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Spend.OutputTokens, Is.EqualTo(250));
            Assert.That(completion.Data!["spend:attempt-1"], Does.Contain("1 turns, 100 input tokens, 250 output tokens, cost $0.02"));
            Assert.That(completion.Data.ContainsKey("budgetExceeded"), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_TaskCostUsedUpByTheFirstAttempt_TheFixLoopDoesNotStartAnother()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = Claude(sandbox, StandInAgents.BreaksTheTests, 0.5m);
        await using var services = RunnerFactory.Create(sandbox, agent, Settings(agent, ("NecroCode:Budgets:Task:CostUsd", "0.5"), ("NecroCode:Runner:MaxFixAttempts", "2")));
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.BudgetExceeded), result.Error?.Message);
            Assert.That(result.Error, Is.EqualTo(new RunError("fix-2", "Attempt 2 of the agent 'claude-code' was not started: the task's budget is used up: cost $0.50 of $0.50 spent.")));
            Assert.That(result.Implementations.Select(i => i.Attempt), Is.EqualTo(new[] { 1 }));
            Assert.That(result.Tests?.Outcome, Is.EqualTo(TestOutcome.Failed));
        });
    }
}
