using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class GeminiCliCodingAgentTests : PresetAgentFixture<GeminiCliOptions>
{
    protected override string StandInName => "gemini";

    protected override Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, GeminiCliOptions options, AgentRequest request, CancellationToken cancellationToken) =>
        new PresetCodingAgent<GeminiCliOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<GeminiCliOptions>>.Instance).RunAsync(request, cancellationToken);

    [Test]
    public async Task RunAsync_Defaults_PassYolo()
    {
        await RunAsync("noop");

        Assert.That(RecordedArguments(), Is.EqualTo(new[] { "-p", "Implement task 1: add two numbers", "--output-format", "stream-json", "--yolo" }));
    }

    [Test]
    public async Task RunAsync_Configured_PassesTheExactCommandLine()
    {
        await RunAsync("noop", o =>
        {
            o.ApprovalMode = "auto_edit";
            o.Model = "gemini-2.5-pro";
            o.ExtraArguments.Add("--sandbox");
        });

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "-p", "Implement task 1: add two numbers", "--output-format", "stream-json", "--approval-mode", "auto_edit",
            "--model", "gemini-2.5-pro", "--sandbox",
        }));
    }

    [Test]
    public async Task RunAsync_Success_RendersReadableLinesAndJoinsDeltas()
    {
        var (report, events) = await RunAsync("success");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Is.EqualTo(new[]
            {
                "Gemini CLI started (model gemini-2.5-pro)",
                "> write_file calc.py",
                "> run_shell_command pytest -q",
                "! tool error: pytest: command not found",
                "Added add() to calc.py.",
                "Done.",
                "Result: success (1000 input / 200 output tokens (400 cached))",
                "Gemini CLI usage: 1000 input / 200 output tokens (400 cached)",
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
            Assert.That(report.Result.Error, Does.Contain("'error'").And.Contain("Reached max session turns"));
            Assert.That(events.Lines, Does.Contain("! warning: Loop detected"));
        });
    }

    [Test]
    public async Task RunAsync_Success_ReportsUsageAndRecordsMetrics()
    {
        using var tokens = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.agent.tokens");

        var (report, _) = await RunAsync("success");

        var mine = tokens.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "gemini-cli")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Usage, Is.EqualTo(new AgentUsage(1000, 200, 400)));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "input")).Sum(m => m.Value), Is.EqualTo(1000));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "output")).Sum(m => m.Value), Is.EqualTo(200));
        });
    }
}
