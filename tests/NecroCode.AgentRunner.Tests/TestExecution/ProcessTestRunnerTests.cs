using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.TestExecution;

[TestFixture]
[Category("Integration")]
public sealed class ProcessTestRunnerTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static ProcessTestRunner CreateRunner(Action<TestRunnerOptions>? configure = null)
    {
        var options = new TestRunnerOptions();
        configure?.Invoke(options);
        return new ProcessTestRunner(ProcessRunnerTests.CreateRunner(), Options.Create(options), TimeProvider.System, NullLogger<ProcessTestRunner>.Instance);
    }

    private TestRequest Request(IReadOnlyList<string> commands, bool failFast = true, IRunEventSink? events = null) =>
        new(_dir.Path, commands, failFast, events ?? new RecordingEventSink());

    [Test]
    public async Task RunAsync_AllCommandsPass_Passes()
    {
        var sink = new RecordingEventSink();

        var result = await CreateRunner().RunAsync(Request(["echo one", "pwd; echo two >&2"], events: sink), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Passed));
            Assert.That(result.Commands.Select(c => c.Outcome), Is.EqualTo(new[] { TestOutcome.Passed, TestOutcome.Passed }));
            Assert.That(result.Commands[1].StandardOutput, Is.EqualTo(_dir.Path), "commands run in the workspace");
            Assert.That(result.Commands[1].StandardError, Is.EqualTo("two"));
            Assert.That(result.Commands[0].ExitCode, Is.Zero);
            Assert.That(sink.LinesOf(OutputSource.StandardOutput), Is.EqualTo(new[] { "one", _dir.Path }));
            Assert.That(sink.Events.OfType<OutputLine>().Select(l => l.Step).Distinct(), Is.EqualTo(new[] { "test" }));
        });
    }

    [Test]
    public async Task RunAsync_CommandBreaksMemoryLimit_LimitExceededWithReason()
    {
        // Arrange
        var processes = ProcessRunnerTests.CreateRunner(o => o.MemoryLimitBytes = 64L * 1024 * 1024);
        var runner = new ProcessTestRunner(processes, Options.Create(new TestRunnerOptions()), TimeProvider.System, NullLogger<ProcessTestRunner>.Instance);

        // Act
        var result = await runner.RunAsync(Request(["exec python3 -c \"import time; b = b'x' * (300 * 1024 * 1024); time.sleep(600)\"", "echo never"]), CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.LimitExceeded));
            Assert.That(result.Commands.Select(c => c.Outcome), Is.EqualTo(new[] { TestOutcome.LimitExceeded, TestOutcome.Skipped }));
            Assert.That(result.Commands[0].ExitCode, Is.Null);
            Assert.That(result.Commands[0].StopMessage, Does.StartWith("memory limit of 64 MiB exceeded"));
            Assert.That(result.Failed, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_RequestEnvironment_RemovesInheritedAndOverridesConfigured()
    {
        var runner = CreateRunner(o => o.Environment["CONFIGURED"] = "from-options");
        var request = Request(["env"]) with { Environment = new Dictionary<string, string?> { ["HOME"] = null, ["CONFIGURED"] = null, ["ADDED"] = "1" } };

        var result = await runner.RunAsync(request, CancellationToken.None);

        var lines = result.Commands.Single().StandardOutput.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.None.StartsWith("HOME=").And.None.StartsWith("CONFIGURED="));
            Assert.That(lines, Does.Contain("ADDED=1"));
            Assert.That(lines, Has.Some.StartsWith("PATH="), "the rest is still inherited");
        });
    }

    [Test]
    public async Task RunAsync_CommandFails_RecordsExitCodeAndFails()
    {
        var result = await CreateRunner().RunAsync(Request(["echo broken >&2; exit 4"]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(result.Commands[0].ExitCode, Is.EqualTo(4));
            Assert.That(result.Commands[0].StandardError, Is.EqualTo("broken"));
            Assert.That(result.Failed, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_FailFast_SkipsRemainingCommands()
    {
        var marker = _dir.Combine("ran");

        var result = await CreateRunner().RunAsync(Request(["true", "exit 1", $"touch {marker}", "true"]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(result.Commands.Select(c => c.Outcome), Is.EqualTo(new[] { TestOutcome.Passed, TestOutcome.Failed, TestOutcome.Skipped, TestOutcome.Skipped }));
            Assert.That(File.Exists(marker), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_WithoutFailFast_RunsEveryCommand()
    {
        var result = await CreateRunner().RunAsync(Request(["exit 1", "true"], failFast: false), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(result.Commands.Select(c => c.Outcome), Is.EqualTo(new[] { TestOutcome.Failed, TestOutcome.Passed }));
        });
    }

    [Test]
    public async Task RunAsync_CommandTimesOut_IsTimedOut()
    {
        var result = await CreateRunner(o => o.CommandTimeout = TimeSpan.FromSeconds(1)).RunAsync(Request(["sleep 300"]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.TimedOut));
            Assert.That(result.Commands[0].ExitCode, Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_NoCommands_RunsDetectedCommand()
    {
        File.WriteAllText(_dir.Combine("Makefile"), "test:\n\t@echo detected-make\n");

        var result = await CreateRunner().RunAsync(Request([]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Commands.Single().Command, Is.EqualTo("make test"));
            Assert.That(result.Commands.Single().StandardOutput, Is.EqualTo("detected-make"));
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Passed));
        });
    }

    [Test]
    public async Task RunAsync_NothingDetected_ReturnsClearFailure()
    {
        var result = await CreateRunner().RunAsync(Request([]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Error));
            Assert.That(result.Failed, Is.EqualTo(1));
            Assert.That(result.Commands.Single().StandardError, Does.Contain("none was detected").And.Contain("go.mod"));
        });
    }

    [Test]
    public async Task RunAsync_ShellMissing_RecordsError()
    {
        var result = await CreateRunner(o => o.Shell = "/no/such/shell").RunAsync(Request(["true"]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Error));
            Assert.That(result.Commands[0].StandardError, Does.Contain("/no/such/shell"));
        });
    }

    [Test]
    public void RunAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var sink = new RecordingEventSink(e =>
        {
            if (e is OutputLine { Text: "started" })
            {
                cts.Cancel();
            }
        });

        Assert.ThrowsAsync<OperationCanceledException>(() => CreateRunner().RunAsync(Request(["echo started; sleep 300"], events: sink), cts.Token));
    }
}
