using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Telemetry;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Agents.CommandLine;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class CommandLineCodingAgentTests
{
    private static ScriptedDescription Parsed => new() { Parser = () => new ScriptedParser() };

    private static SecretMasker NewMasker() => new(Options.Create(new SecretMaskerOptions()), NullLogger<SecretMasker>.Instance);

    private static async Task<(AgentRunReport Report, RecordingEventSink Events)> RunAsync(ScriptedDescription description, IProcessRunner processes, ISecretMasker? masker = null, string prompt = "Do it")
    {
        var events = new RecordingEventSink();
        var agent = new CommandLineCodingAgent(description, processes, masker ?? NewMasker(), NullLogger.Instance);
        var request = new AgentRequest
        {
            Task = new TaskContext { TaskId = "7", SpecName = "calc", Title = "Add" },
            WorkspacePath = Path.GetTempPath(),
            Prompt = prompt,
            Events = events,
            Attempt = 2,
        };
        return (await agent.RunAsync(request, CancellationToken.None), events);
    }

    [Test]
    public async Task RunAsync_ExitCodeZero_SucceedsWithTheSpecTheDescriptionGives()
    {
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0));

        var (report, _) = await RunAsync(new ScriptedDescription(), processes, prompt: "-v please");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result, Is.EqualTo(new AgentResult(true, 0)));
            Assert.That(processes.Spec!.FileName, Is.EqualTo("scripted-agent"));
            Assert.That(processes.Spec.Arguments, Is.EqualTo(new[] { "run", "\n-v please" }));
            Assert.That(processes.Spec.InheritEnvironment, Is.False);
            Assert.That(processes.Spec.StandardInput, Is.Null);
            Assert.That(processes.Spec.Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
        });
    }

    [Test]
    public async Task RunAsync_ExitCodeTheDescriptionCallsSuccess_Succeeds()
    {
        var description = new ScriptedDescription { ExitCodes = code => code is 0 or 2 ? null : "bad" };

        var (report, _) = await RunAsync(description, new ScriptedProcessRunner(ScriptedProcessRunner.Exited(2)));

        Assert.That(report.Result, Is.EqualTo(new AgentResult(true, 2)));
    }

    [Test]
    public async Task RunAsync_ExitCodeWithItsOwnMeaning_FailsWithItsSentenceAndTheQuotedErrorOutput()
    {
        var description = new ScriptedDescription { ExitCodes = code => code == 0 ? null : $"Scripted could not reach its server (exit code {code})." };
        var result = ScriptedProcessRunner.Exited(3, standardError: "\u001b[31mconnect failed\u001b[0m\n\n  retrying  \ngave up\n");

        var (report, _) = await RunAsync(description, new ScriptedProcessRunner(result));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.EqualTo(3));
            Assert.That(report.Result.Error, Is.EqualTo("Scripted could not reach its server (exit code 3). Last error output: connect failed | retrying | gave up"));
        });
    }

    [TestCase(0, "Scripted exited with code 0 but reported a failure. out of turns")]
    [TestCase(1, "Scripted exited with code 1. out of turns")]
    public async Task RunAsync_ParserReportsAFailure_FailsWhateverTheExitCode(int exitCode, string error)
    {
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(exitCode), (OutputSource.StandardOutput, "failed: out of turns"));

        var (report, _) = await RunAsync(Parsed, processes);

        Assert.That(report.Result, Is.EqualTo(new AgentResult(false, exitCode, error)));
    }

    [Test]
    public async Task RunAsync_ExitCodeZeroWithoutTheFinalResult_SucceedsWithAWarning()
    {
                var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0), (OutputSource.StandardOutput, "say: bye"));

        var (report, events) = await RunAsync(Parsed, processes);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True);
            Assert.That(events.Events.OfType<RunWarning>().Single().Message, Is.EqualTo("Scripted exited with code 0 without a final result message; its exit code decides."));
        });
    }

    [Test]
    public async Task RunAsync_WithAParser_PublishesItsLinesMaskedAndStripsErrorEscapes()
    {
        var masker = NewMasker();
        masker.AddSecret("hunter2-secret-value");
                var processes = new ScriptedProcessRunner(
            ScriptedProcessRunner.Exited(0),
            (OutputSource.StandardOutput, "say: key is hunter2-secret-value"),
            (OutputSource.StandardOutput, "usage: 10 4"),
            (OutputSource.StandardError, "\u001b[33mwarning\u001b[0m"),
            (OutputSource.StandardOutput, "ok"));

        var (report, events) = await RunAsync(Parsed, processes, masker);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result, Is.EqualTo(new AgentResult(true, 0) { Usage = new AgentUsage(10, 4) }));
            Assert.That(report.Summary, Is.EqualTo("all done"));
            Assert.That(events.Lines, Is.EqualTo(new[] { "key is ***", "warning", "Scripted usage: 10 input / 4 output tokens" }));
            Assert.That(events.Events.OfType<RunWarning>(), Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_WithoutAParser_PublishesTheOutputAsItIs()
    {
        var processes = new ScriptedProcessRunner(
            ScriptedProcessRunner.Exited(0),
            (OutputSource.StandardOutput, "\u001b[1mbold\u001b[0m"),
            (OutputSource.StandardError, "say: not parsed"));

        var (report, events) = await RunAsync(new ScriptedDescription(), processes);

        Assert.Multiple(() =>
        {
            Assert.That(report.Usage, Is.Null);
            Assert.That(events.Lines, Is.EqualTo(new[] { "\u001b[1mbold\u001b[0m", "say: not parsed" }));
        });
    }

    [Test]
    public async Task RunAsync_UsageReported_RecordedOnTheProductMeter()
    {
        using var tokens = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.agent.tokens");
                var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0), (OutputSource.StandardOutput, "usage: 10 4"), (OutputSource.StandardOutput, "ok"));

        await RunAsync(Parsed, processes);

        var mine = tokens.GetMeasurementSnapshot().Where(m => Equals(m.Tags["agent"], "scripted")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "input")).Sum(m => m.Value), Is.EqualTo(10));
            Assert.That(mine.Where(m => Equals(m.Tags["kind"], "output")).Sum(m => m.Value), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task RunAsync_TimedOut_FailsWithTheTimeoutSentence()
    {
        var processes = new ScriptedProcessRunner(new ProcessResult(null, true, TimeSpan.FromSeconds(90), "", "") { StopReason = ProcessStopReason.TimedOut });

        var (report, _) = await RunAsync(new ScriptedDescription(), processes);

        Assert.That(report.Result, Is.EqualTo(new AgentResult(false, null, "Scripted ran past its timeout of 90 s; its process tree was stopped.", TimedOut: true)));
    }

    [Test]
    public async Task RunAsync_StoppedForBreakingALimit_FailsWithLimitExceededAndTheReason()
    {
        var stopped = new ProcessResult(null, false, TimeSpan.FromSeconds(3), "", "memory limit of 256 MiB exceeded.")
        {
            StopReason = ProcessStopReason.MemoryLimitExceeded,
            StopMessage = "memory limit of 256 MiB exceeded.",
        };

        var (report, _) = await RunAsync(new ScriptedDescription(), new ScriptedProcessRunner(stopped));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.LimitExceeded, Is.True);
            Assert.That(report.Result.ExitCode, Is.Null);
            Assert.That(report.Result.Error, Does.StartWith("Scripted was stopped: memory limit of 256 MiB exceeded."));
        });
    }

    [Test]
    public async Task RunAsync_ProgramMissing_FailsWithTheStartFailureSentence()
    {
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0)) { StartFailure = new ProcessStartException("scripted-agent", "not found.") };

        var (report, _) = await RunAsync(new ScriptedDescription(), processes);

        Assert.That(report.Result, Is.EqualTo(new AgentResult(false, null, "Scripted could not be started ('scripted-agent'): Could not start 'scripted-agent': not found.")));
    }

    [Test]
    public async Task RunAsync_ConfigurationError_FailsWithoutStartingAnything()
    {
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0));

        var (report, _) = await RunAsync(new ScriptedDescription { Problem = "Scripted has no key." }, processes);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result, Is.EqualTo(new AgentResult(false, null, "Scripted has no key.")));
            Assert.That(processes.Spec, Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_PromptFile_WrittenPrivatelyForTheAttemptAndDeletedAfterwards()
    {
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0));

        await RunAsync(new ScriptedDescription { PromptInFile = true }, processes, prompt: "the prompt");

        var path = processes.Spec!.Arguments[1];
        Assert.Multiple(() =>
        {
            Assert.That(processes.PromptFileExisted, Is.True);
            Assert.That(Path.GetFileName(path), Is.EqualTo("prompt.md"));
            Assert.That(File.Exists(path), Is.False);
            Assert.That(Directory.Exists(Path.GetDirectoryName(path)), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_Environment_BuiltFromTheDescription()
    {
        var description = new ScriptedDescription { Variables = new AgentEnvironment { Variables = [KeyValuePair.Create("MODE", "fast")] } };
        var processes = new ScriptedProcessRunner(ScriptedProcessRunner.Exited(0));

        await RunAsync(description, processes);

        Assert.Multiple(() =>
        {
            Assert.That(processes.Spec!.Environment["MODE"], Is.EqualTo("fast"));
            Assert.That(processes.Spec.Environment["NECROCODE_ATTEMPT"], Is.EqualTo("2"));
        });
    }
}
