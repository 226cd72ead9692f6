using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class AiderCodingAgentTests : PresetAgentFixture<AiderOptions>
{
    protected override string StandInName => "aider";

    protected override Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, AiderOptions options, AgentRequest request, CancellationToken cancellationToken) =>
        new PresetCodingAgent<AiderOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<AiderOptions>>.Instance).RunAsync(request, cancellationToken);

    [Test]
    public async Task RunAsync_Defaults_PassTheExactCommandLine()
    {
        await RunAsync("noop", o => o.Model = "sonnet");

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "--message", "Implement task 1: add two numbers", "--yes-always", "--no-auto-commits", "--no-dirty-commits",
            "--no-gitignore", "--no-check-update", "--no-show-release-notes", "--chat-history-file", "/dev/null",
            "--input-history-file", "/dev/null", "--model", "sonnet",
        }));
    }

    [Test]
    public async Task RunAsync_WithoutWorkspaceHygiene_PassesOnlyTheBaseFlags()
    {
        await RunAsync("noop", o =>
        {
            o.KeepWorkspaceClean = false;
            o.ExtraArguments.Add("--edit-format");
            o.ExtraArguments.Add("diff");
        });

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "--message", "Implement task 1: add two numbers", "--yes-always", "--no-auto-commits", "--no-dirty-commits", "--edit-format", "diff",
        }));
    }

    [Test]
    public async Task RunAsync_Success_StreamsPlainTextWithoutEscapesAndSucceeds()
    {
        var (report, events) = await RunAsync("success");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Does.Contain("Main model: anthropic/claude-sonnet-4-5 with diff edit format"));
            Assert.That(events.Lines, Does.Contain("Applied edit to calc.py"));
            Assert.That(events.Lines.Any(l => l.Contains('\u001b', StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_Success_SumsTheUsageLinesAndRecordsMetrics()
    {
        using var tokens = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.agent.tokens");
        using var cost = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.agent.cost");

        var (report, _) = await RunAsync("success");

        var mine = tokens.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "aider")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(3000, 400, 1200, 0.03m) { Turns = 2 }));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "input")).Sum(m => m.Value), Is.EqualTo(3000));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "output")).Sum(m => m.Value), Is.EqualTo(400));
            Assert.That(cost.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "aider")).Sum(m => m.Value), Is.EqualTo(0.03).Within(1e-9));
        });
    }
}
