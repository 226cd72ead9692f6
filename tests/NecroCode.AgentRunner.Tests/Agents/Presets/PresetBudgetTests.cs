using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

/// <summary>
/// Budgets held by the preset agents with real processes: each stand-in (Agents/Presets/StandIn) streams its preset's
/// format with usage figures; one wraps up on SIGINT, one ignores it, so the grace period and the hard stop both run.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PresetBudgetTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private string _root = "";
    private string _workspace = "";

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("necrocode-budget-").FullName;
        _workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ClaudeCode_OutputTokensCrossTheAttemptBudget_AskedToWrapUpItStopsCleanly()
    {
        var (report, events) = await RunAsync<ClaudeCodeOptions>("claude", "budget", Budget(attempt: new() { OutputTokens = 1000 }));

        var breach = report.Result.BudgetExceeded;
        Assert.Multiple(() =>
        {
            Assert.That(breach, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.OutputTokens, 1500, 1000)));
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.EqualTo(130));
            Assert.That(report.Result.Error, Is.EqualTo("Claude Code crossed its budget: output tokens 1,500 > budget 1,000 (per attempt); it exited with code 130."));
            Assert.That(File.Exists(Path.Combine(_workspace, "wrapped-up")), Is.True, "the agent got its wrap-up signal");
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(300, 1500, null, 0.05m) { Turns = 3 }));
            Assert.That(events.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.Contains("crossed its budget: output tokens 1,500 > budget 1,000 (per attempt); asking it to wrap up"));
        });
    }

    [Test]
    public async Task ClaudeCode_IgnoresTheWrapUpSignal_ItsTreeIsStoppedAfterTheGracePeriod()
    {
        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "budget-stubborn", Budget(attempt: new() { OutputTokens = 1000 }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded?.Measure, Is.EqualTo(BudgetMeasure.OutputTokens));
            Assert.That(report.Result.ExitCode, Is.Null);
            Assert.That(report.Result.Error, Does.EndWith("it did not wrap up within its grace period and its process tree was stopped."));
            Assert.That(File.Exists(Path.Combine(_workspace, "wrapped-up")), Is.False);
        });
    }

    [Test]
    public async Task ClaudeCode_TurnsCrossTheAttemptBudget_CountedFromItsMessagesAsItWorks()
    {
        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "budget", Budget(attempt: new() { Turns = 2 }));

        Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.Turns, 3, 2)));
    }

    [Test]
    public async Task ClaudeCode_InputTokensCrossTheTaskBudgetWithEarlierAttempts_NamesTheTaskBudget()
    {
        var earlier = new AgentSpend(TimeSpan.FromSeconds(5), 2, 950, 10);

        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "budget", Budget(task: new() { InputTokens = 1000 }, spentBefore: earlier));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Task, BudgetMeasure.InputTokens, 1050, 1000)));
            Assert.That(report.Result.Error, Does.Contain("input tokens 1,050 > budget 1,000 (per task)"));
        });
    }

    [Test]
    public async Task ClaudeCode_CostKnownOnlyFromItsResult_IsCheckedWhenTheResultArrives()
    {
        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "success", Budget(attempt: new() { CostUsd = 0.01m }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.CostUsd, 0.0123m, 0.01m)));
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.Error, Does.Contain("cost $0.0123 > budget $0.01 (per attempt)"));
        });
    }

    [Test]
    public async Task ClaudeCode_WallTimeOfTheAttemptReached_StoppedAsOverBudget()
    {
        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "hang", Budget(attempt: new() { WallTime = TimeSpan.FromSeconds(1) }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded?.Scope, Is.EqualTo(BudgetScope.Attempt));
            Assert.That(report.Result.BudgetExceeded?.Measure, Is.EqualTo(BudgetMeasure.WallTime));
            Assert.That(report.Result.TimedOut, Is.False);
            Assert.That(report.Result.Error, Does.Contain("budget 1 s (per attempt)"));
        });
    }

    [Test]
    public async Task ClaudeCode_WallTimeLeftOfTheTask_StopsTheAttemptAtTheTaskBudget()
    {
        var earlier = new AgentSpend(TimeSpan.FromSeconds(10));

        var (report, _) = await RunAsync<ClaudeCodeOptions>("claude", "hang", Budget(task: new() { WallTime = TimeSpan.FromSeconds(11) }, spentBefore: earlier));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded?.Scope, Is.EqualTo(BudgetScope.Task));
            Assert.That(report.Result.BudgetExceeded?.Measure, Is.EqualTo(BudgetMeasure.WallTime));
            Assert.That(report.Result.Error, Does.Contain("budget 11 s (per task)"));
        });
    }

    [Test]
    public async Task Codex_TurnsCrossTheTaskBudget_CountedPerCompletedTurn()
    {
        var (report, _) = await RunAsync<CodexOptions>("codex", "budget", Budget(task: new() { Turns = 2 }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Task, BudgetMeasure.Turns, 3, 2)));
            Assert.That(report.Result.ExitCode, Is.EqualTo(130));
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(3000, 300, 0) { Turns = 3 }));
        });
    }

    [Test]
    public async Task Codex_OutputTokensCrossTheTaskBudget_AsEachTurnReportsThem()
    {
        var (report, _) = await RunAsync<CodexOptions>("codex", "budget", Budget(task: new() { OutputTokens = 150 }));

        Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Task, BudgetMeasure.OutputTokens, 200, 150)));
    }

    [Test]
    public async Task Aider_CostCrossesTheAttemptBudget_AsEachMessageReportsIt()
    {
        var (report, _) = await RunAsync<AiderOptions>("aider", "budget", Budget(attempt: new() { CostUsd = 0.03m }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.CostUsd, 0.04m, 0.03m)));
            Assert.That(report.Result.ExitCode, Is.EqualTo(130));
            Assert.That(report.Result.Error, Does.Contain("cost $0.04 > budget $0.03 (per attempt)"));
        });
    }

    [Test]
    public async Task GeminiCli_TokensKnownOnlyAtItsEnd_TheFinishedAttemptIsOverBudget()
    {
        var (report, _) = await RunAsync<GeminiCliOptions>("gemini", "success", Budget(attempt: new() { OutputTokens = 100 }));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.BudgetExceeded, Is.EqualTo(new BudgetBreach(BudgetScope.Attempt, BudgetMeasure.OutputTokens, 200, 100)));
            Assert.That(report.Result.Succeeded, Is.False);
            // Seen on its last line, the breach may still reach the agent as a wrap-up signal before it exits.
            Assert.That(report.Result.Error, Does.StartWith("Gemini CLI crossed its budget: output tokens 200 > budget 100 (per attempt); it exited with code "));
        });
    }

    [Test]
    public async Task ClaudeCode_WithinEveryBudget_SucceedsWithItsUsage()
    {
        var budget = Budget(attempt: new() { WallTime = TimeSpan.FromMinutes(5), Turns = 10, InputTokens = 2000, OutputTokens = 1000, CostUsd = 1m }, task: new() { CostUsd = 2m });

        var (report, events) = await RunAsync<ClaudeCodeOptions>("claude", "success", budget);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(report.Result.BudgetExceeded, Is.Null);
            Assert.That(report.Usage?.Turns, Is.EqualTo(3));
            Assert.That(events.Events.OfType<RunWarning>(), Is.Empty);
        });
    }

    private static AgentBudget Budget(BudgetLimits? attempt = null, BudgetLimits? task = null, AgentSpend? spentBefore = null) =>
        new(attempt ?? new(), task ?? new(), spentBefore ?? AgentSpend.None, Grace);

    private async Task<(AgentRunReport Report, RecordingEventSink Events)> RunAsync<TOptions>(string standIn, string mode, AgentBudget budget)
        where TOptions : PresetAgentOptions, new()
    {
        var script = Path.Combine(_root, standIn);
        File.Copy(Path.Combine(PresetAgentFixture<TOptions>.FindStandInFolder(), standIn), script);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new TOptions { Command = script };
        options.ApiKeyVariables.Clear();
        options.Environment["STANDIN_MODE"] = mode;
        var (processes, masker) = PresetAgentFixture<TOptions>.CreateProcessRunner();
        var agent = new PresetCodingAgent<TOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<TOptions>>.Instance);
        var events = new RecordingEventSink();
        var request = new AgentRequest
        {
            Task = new TaskContext { TaskId = "1", SpecName = "calc", Title = "Add" },
            WorkspacePath = _workspace,
            Prompt = "Implement task 1",
            Events = events,
            Budget = budget,
        };
        return (await agent.RunAsync(request, CancellationToken.None), events);
    }
}
