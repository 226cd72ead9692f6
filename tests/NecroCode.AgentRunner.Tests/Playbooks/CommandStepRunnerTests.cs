using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
[Category("Integration")]
public sealed class CommandStepRunnerTests
{
    private TempFolder _files = null!;
    private ShellProcessRunner _processes = null!;
    private RecordingEventSink _events = null!;
    private CommandStepRunner _runner = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new TempFolder();
        _processes = new ShellProcessRunner();
        _events = new RecordingEventSink();
        _runner = new CommandStepRunner(_processes, TimeProvider.System, NullLogger<CommandStepRunner>.Instance);
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    private CommandStepRequest Request(string? workspace = null) => new()
    {
        WorkspacePath = workspace ?? _files.CreateFolder("ws"),
        Events = _events,
        Environment = new Dictionary<string, string?> { ["FROM_RUNNER"] = "runner", ["SHARED"] = "runner" },
    };

    private static PlaybookStep Step(string run) => new() { Name = "custom", Run = run };

    [Test]
    public async Task RunAsync_Success_RunsInTheWorkspaceWithTheStepEnvironment()
    {
        var step = Step("echo \"$(pwd) $FROM_RUNNER $SHARED $OWN\"") with { Environment = new Dictionary<string, string> { ["SHARED"] = "step", ["OWN"] = "own" } };
        var request = Request();

        var result = await _runner.RunAsync(step, request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(result.Message, Is.Null);
            Assert.That(_events.Lines, Is.EqualTo(new[] { $"{request.WorkspacePath} runner step own" }));
            Assert.That(_events.Events.OfType<OutputLine>().Single().Step, Is.EqualTo("custom"));
            Assert.That(_processes.Started.Single().FileName, Is.EqualTo("/bin/sh"));
            Assert.That(_processes.Started.Single().Arguments[0], Is.EqualTo("-c"));
        });
    }

    [Test]
    public async Task RunAsync_WorkingDirectory_RunsThere()
    {
        var workspace = _files.CreateFolder("ws");
        var sub = _files.CreateFolder("ws/src/app");
        var step = Step("pwd") with { WorkingDirectory = "src/app" };

        var result = await _runner.RunAsync(step, Request(workspace), CancellationToken.None);

        Assert.That(result.LastResult!.StandardOutput.Trim(), Is.EqualTo(sub));
    }

    [Test]
    public async Task RunAsync_MissingWorkingDirectory_FailsWithoutRunning()
    {
        var step = Step("pwd") with { WorkingDirectory = "nope" };

        var result = await _runner.RunAsync(step, Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(result.Attempts, Is.Zero);
            Assert.That(result.Message, Does.Contain("'nope' does not exist in the workspace"));
            Assert.That(_processes.Started, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_WorkingDirectoryLinkOutOfTheWorkspace_IsRefused()
    {
        var workspace = _files.CreateFolder("ws");
        var outside = _files.CreateFolder("outside");
        Directory.CreateSymbolicLink(Path.Combine(workspace, "out"), outside);
        var step = Step("pwd") with { WorkingDirectory = "out" };

        var result = await _runner.RunAsync(step, Request(workspace), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(result.Message, Does.Contain("leads outside the workspace"));
            Assert.That(_processes.Started, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_Failure_ReportsExitCode()
    {
        var result = await _runner.RunAsync(Step("echo broken >&2; exit 3"), Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(result.LastResult!.ExitCode, Is.EqualTo(3));
            Assert.That(result.Message, Is.EqualTo("Step 'custom' exited with code 3 (attempt 1 of 1)."));
            Assert.That(_events.Events.OfType<OutputLine>().Single().Stream, Is.EqualTo(OutputSource.StandardError));
        });
    }

    [Test]
    public async Task RunAsync_Timeout_IsTimedOut()
    {
        var step = Step("sleep 30") with { Timeout = TimeSpan.FromMilliseconds(300) };

        var result = await _runner.RunAsync(step, Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(result.Message, Does.Contain("ran past its timeout of 00:00:00.3000000"));
        });
    }

    [Test]
    public async Task RunAsync_RequestDefaultTimeout_AppliesWhenTheStepHasNone()
    {
        var request = Request() with { DefaultTimeout = TimeSpan.FromMilliseconds(300) };

        var result = await _runner.RunAsync(Step("sleep 30"), request, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(StepOutcome.TimedOut));
    }

    [Test]
    public async Task RunAsync_FailsTwiceThenSucceeds_RetriesWithExponentialBackoff()
    {
        var workspace = _files.CreateFolder("ws");
        var step = Step(
            "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ]") with { Retry = new PlaybookRetry(4, TimeSpan.FromMilliseconds(20)) };

        var result = await _runner.RunAsync(step, Request(workspace), CancellationToken.None);

        var retries = _events.Events.OfType<RetryScheduled>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(result.Attempts, Is.EqualTo(3));
            Assert.That(retries.Select(r => r.Attempt), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(retries.Select(r => r.Delay), Is.EqualTo(new[] { TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40) }));
            Assert.That(retries.All(r => r.Step == "custom" && r.Operation == "run" && r.Error == "exited with code 1"), Is.True);
        });
    }

    [Test]
    public async Task RunAsync_AlwaysFailing_StopsAfterTheRetries()
    {
        var step = Step("exit 2") with { Retry = new PlaybookRetry(2, TimeSpan.Zero) };

        var result = await _runner.RunAsync(step, Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(result.Attempts, Is.EqualTo(3));
            Assert.That(result.Message, Is.EqualTo("Step 'custom' exited with code 2 (attempt 3 of 3)."));
            Assert.That(_events.Events.OfType<RetryScheduled>().Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_TimedOutAttempt_IsRetried()
    {
        var workspace = _files.CreateFolder("ws");
        var step = Step(
            "if [ -f first ]; then exit 0; fi; touch first; sleep 30") with { Timeout = TimeSpan.FromSeconds(3), Retry = new PlaybookRetry(1, TimeSpan.Zero) };

        var result = await _runner.RunAsync(step, Request(workspace), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(result.Attempts, Is.EqualTo(2));
            Assert.That(_events.Events.OfType<RetryScheduled>().Single().Error, Does.StartWith("ran past its timeout"));
        });
    }

    [Test]
    public void RunAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await _runner.RunAsync(Step("sleep 30"), Request(), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void RunAsync_BuiltInStep_IsRefused() =>
        Assert.That(
            async () => await _runner.RunAsync(new PlaybookStep { Name = "test", Uses = "test" }, Request(), CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("'test' is not a command step"));
}
