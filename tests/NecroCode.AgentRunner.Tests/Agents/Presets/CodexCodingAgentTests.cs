using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class CodexCodingAgentTests : PresetAgentFixture<CodexOptions>
{
    protected override string StandInName => "codex";

    protected override Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, CodexOptions options, AgentRequest request, CancellationToken cancellationToken) =>
        new PresetCodingAgent<CodexOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<CodexOptions>>.Instance).RunAsync(request, cancellationToken);

    [Test]
    public async Task RunAsync_Configured_PassesTheExactCommandLine()
    {
        await RunAsync("success", o =>
        {
            o.FullAuto = false;
            o.Sandbox = "workspace-write";
            o.SkipGitRepoCheck = true;
            o.Model = "gpt-5-codex";
            o.ExtraArguments.Add("-c");
            o.ExtraArguments.Add("model_reasoning_effort=high");
        });

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "exec", "--json", "--sandbox", "workspace-write", "--skip-git-repo-check", "--model", "gpt-5-codex",
            "-c", "model_reasoning_effort=high", "Implement task 1: add two numbers",
        }));
    }

    [Test]
    public async Task RunAsync_Defaults_UseFullAuto()
    {
        await RunAsync("noop");

        Assert.That(RecordedArguments(), Is.EqualTo(new[] { "exec", "--json", "--full-auto", "Implement task 1: add two numbers" }));
    }

    [Test]
    public async Task RunAsync_Success_RendersReadableLinesAndSucceeds()
    {
        var (report, events) = await RunAsync("success");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Is.EqualTo(new[]
            {
                "Codex started (thread 0199a213-81c0-7800-8aa1-bbab2a035a53)",
                "$ bash -lc ls (exit 0)",
                "> edit add calc.py",
                "Added add() to calc.py.",
                "Result: turn completed (24763 input / 122 output tokens (24448 cached))",
                "Codex usage: 24763 input / 122 output tokens (24448 cached)",
            }));
        });
    }

    [Test]
    public async Task RunAsync_TurnFailedWithExitCodeZero_Fails()
    {
        var (report, _) = await RunAsync("error-result");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.Zero);
            Assert.That(report.Result.Error, Does.Contain("failed turn").And.Contain("stream disconnected"));
        });
    }

    [Test]
    public async Task RunAsync_ErrorFollowedByACompletedTurn_Succeeds()
    {
        var (report, events) = await RunAsync("recovered");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(events.Lines, Does.Contain("! error: Reconnecting... 1/5"));
        });
    }

    [Test]
    public async Task RunAsync_Success_ReportsUsageAndRecordsMetrics()
    {
        using var tokens = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.agent.tokens");
        using var cost = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.agent.cost");

        var (report, _) = await RunAsync("success");

        var mine = tokens.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "codex")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(24763, 122, 24448) { Turns = 1 }));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "input")).Sum(m => m.Value), Is.EqualTo(24763));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "output")).Sum(m => m.Value), Is.EqualTo(122));
            Assert.That(cost.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "codex")), Is.Empty);
        });
    }
}
