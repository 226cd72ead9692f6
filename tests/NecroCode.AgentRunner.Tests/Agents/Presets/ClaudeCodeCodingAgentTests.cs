using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Telemetry;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class ClaudeCodeCodingAgentTests : PresetAgentFixture<ClaudeCodeOptions>
{
    protected override string StandInName => "claude";

    protected override Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, ClaudeCodeOptions options, AgentRequest request, CancellationToken cancellationToken) =>
        new PresetCodingAgent<ClaudeCodeOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<ClaudeCodeOptions>>.Instance).RunAsync(request, cancellationToken);

    [Test]
    public async Task RunAsync_Configured_PassesTheExactCommandLine()
    {
        await RunAsync("success", o =>
        {
            o.PermissionMode = "bypassPermissions";
            o.Model = "claude-opus-4-1";
            o.AllowedTools.Add("Bash(dotnet test:*)");
            o.AllowedTools.Add("Edit");
            o.ExtraArguments.Add("--max-turns");
            o.ExtraArguments.Add("30");
        });

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "-p", "Implement task 1: add two numbers", "--output-format", "stream-json", "--verbose",
            "--permission-mode", "bypassPermissions", "--model", "claude-opus-4-1",
            "--allowedTools", "Bash(dotnet test:*),Edit", "--max-turns", "30",
        }));
    }

    [Test]
    public async Task RunAsync_Defaults_UseAcceptEdits()
    {
        await RunAsync("noop");

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "-p", "Implement task 1: add two numbers", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits",
        }));
    }

    [Test]
    public async Task RunAsync_Success_RendersReadableLinesAndSucceeds()
    {
        var (report, events) = await RunAsync("success");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(report.Summary, Is.EqualTo("Added add() to calc.py."));
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Is.EqualTo(new[]
            {
                "Claude Code started (model claude-sonnet-4-5)",
                "I will add the function.",
                "> Write calc.py",
                "> Bash rm -rf /tmp/x",
                "! tool error: Permission to use Bash has been denied.",
                "Result: success (3 turns, 1120 input / 250 output tokens (1000 cached), $0.0123)",
                "Claude Code usage: 1120 input / 250 output tokens (1000 cached), $0.0123",
            }));
        });
    }

    [Test]
    public async Task RunAsync_ErrorResultWithExitCodeZero_Fails()
    {
        var (report, events) = await RunAsync("error-result");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.Zero);
            Assert.That(report.Result.Error, Does.Contain("exited with code 0 but reported a failure").And.Contain("error_max_turns"));
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(5000, 700, null, 0.5m) { Turns = 10 }));
            Assert.That(events.Lines, Does.Contain("Still working on it."));
        });
    }

    [Test]
    public async Task RunAsync_Success_ReportsUsageAndRecordsMetrics()
    {
        using var tokens = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.agent.tokens");
        using var cost = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.agent.cost");

        var (report, _) = await RunAsync("success");

        var mine = tokens.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "claude-code")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(1120, 250, 1000, 0.0123m) { Turns = 3 }));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "input")).Sum(m => m.Value), Is.EqualTo(1120));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "output")).Sum(m => m.Value), Is.EqualTo(250));
            Assert.That(cost.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "claude-code")).Sum(m => m.Value), Is.EqualTo(0.0123).Within(1e-9));
        });
    }

    [Test]
    public async Task RunAsync_NoiseAndUnknownMessages_AreToleratedAndTheKeyStaysMasked()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);

        var (report, events) = await RunAsync("noise");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(events.Lines, Does.Contain("Warning: update available"));
            Assert.That(events.Lines, Does.Contain("{not json"));
            Assert.That(events.Lines.Any(l => l.Contains("stream_event", StringComparison.Ordinal)), Is.False);
            Assert.That(events.Lines.Any(l => l.Contains("Secret-4242", StringComparison.Ordinal)), Is.False);
            Assert.That(events.Lines.Count(l => l.StartsWith("key seen: ", StringComparison.Ordinal) || l.StartsWith("escaped key: ", StringComparison.Ordinal)), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_JsonLinesLongerThanTheLineLimit_AreJoinedAndParsed()
    {
        var (report, events) = await RunAsync("long", maxLineLength: 1024);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.Error, Does.Contain("error_during_execution"));
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(7, 3)));
            Assert.That(events.Lines, Does.Contain(new string('x', 5000)));
        });
    }

    [Test]
    public async Task RunAsync_ExitCodeZeroWithoutResult_SucceedsWithAWarning()
    {
        var (report, events) = await RunAsync("no-result");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True);
            Assert.That(events.Events.OfType<RunWarning>().Single().Message, Does.Contain("without a final result"));
        });
    }

    [Test]
    public async Task ImplementAsync_Success_ReturnsTheAttemptsResult()
    {
        var (processes, masker) = CreateProcessRunner();
        var agent = new PresetCodingAgent<ClaudeCodeOptions>(processes, masker, Options.Create(CreateOptions("success")), NullLogger<PresetCodingAgent<ClaudeCodeOptions>>.Instance);

        var result = await agent.ImplementAsync(CreateRequest(new RecordingEventSink()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(agent.Name, Is.EqualTo("claude-code"));
            Assert.That(result, Is.EqualTo(new AgentResult(true, 0) { Usage = new AgentUsage(1120, 250, 1000, 0.0123m) { Turns = 3 } }));
        });
    }
}
