using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Testing;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
public sealed class RunnerOrchestratorTests
{
    [Test]
    public async Task RunAsync_HappyPath_CompletesAndRecordsEverything()
    {
        using var h = new OrchestratorHarness();
        var task = OrchestratorHarness.Task();

        var result = await h.Create().RunAsync(task, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await h.Registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.State, Is.EqualTo(RunnerState.Completed));
            Assert.That(result.Transitions.Select(t => (t.From, t.To)), Is.EqualTo(new[] { (RunnerState.Idle, RunnerState.Running), (RunnerState.Running, RunnerState.Completed) }));
            Assert.That(result.Branch, Is.EqualTo("feature/task-demo-1.1"));
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { TaskEventTypes.TaskStarted, TaskEventTypes.TaskCompleted }));
            Assert.That(record.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "test-results.json", "run-log.jsonl" }));
            Assert.That(h.Workspace.Commits.Single().Message, Is.EqualTo("feat(task-1.1): Add a feature"));
            Assert.That(h.Workspace.Pushes.Single().Branch, Is.EqualTo("feature/task-demo-1.1"));
            Assert.That(h.Slots.Held, Is.Empty);
            Assert.That(h.Slots.Released, Has.Count.EqualTo(1));
            Assert.That(h.Registry.GetRunnersAsync(CancellationToken.None).Result, Is.Empty);
            Assert.That(h.ArtifactText(result, "diff.patch"), Does.Contain("src/feature.txt"));
        });
    }

    [Test]
    public async Task RunAsync_ConfiguredSecret_HandedToAgentWorkspaceAndPush()
    {
        var variable = "NECROCODE_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "s3cr3t-value-for-the-run");
        try
        {
            using var h = new OrchestratorHarness();
            h.CredentialOptions.Secrets.Add("git-token");
            h.CredentialOptions.Environment["git-token"] = variable;

            var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

            var agent = (FakeCodingAgent)h.Agent;
            Assert.Multiple(() =>
            {
                Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
                Assert.That(agent.Requests.Single().Secrets.Names, Is.EqualTo(new[] { "git-token" }));
                Assert.That(h.Workspace.Pushes.Single().Secrets.Names, Is.EqualTo(new[] { "git-token" }));
                Assert.That(() => h.Workspace.Pushes.Single().Secrets.TryReveal("git-token", out _), Throws.TypeOf<ObjectDisposedException>(), "wiped when the run ended");
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public async Task RunAsync_TestsFail_NoCommitNoPushButTestResultsStored()
    {
        using var h = new OrchestratorHarness(tests: new FakeTestRunner(TestOutcome.Failed));
        var task = OrchestratorHarness.Task();

        var result = await h.Create().RunAsync(task, CancellationToken.None);

        var events = await h.Registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(h.Workspace.Commits, Is.Empty);
            Assert.That(h.Workspace.Pushes, Is.Empty);
            Assert.That(events[^1].Type, Is.EqualTo(TaskEventTypes.TaskFailed));
            Assert.That(result.Artifacts.Select(a => a.Name), Is.SupersetOf(new[] { "test-results.json", "error.log", "diff.patch" }));
            Assert.That(h.Slots.Held, Is.Empty);
            Assert.That(h.Workspace.Rollbacks, Has.Count.EqualTo(1));
            Assert.That(result.Steps.Single(s => s.Name == "commit").Outcome, Is.EqualTo(StepOutcome.Skipped));
        });
    }

    [Test]
    public async Task RunAsync_AgentExitsNonZero_FailedWithReason()
    {
        using var h = new OrchestratorHarness(agent: FakeCodingAgent.Exiting(3));

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AgentFailed));
            Assert.That(result.Error!.Message, Does.Contain("exited with code 3"));
            Assert.That(result.Error.Step, Is.EqualTo("implement"));
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_AgentChangesNothing_FailedWithReason()
    {
        using var h = new OrchestratorHarness(agent: FakeCodingAgent.Exiting(0));

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AgentFailed));
            Assert.That(result.Error!.Message, Does.Contain("without changing anything"));
            Assert.That(h.Workspace.Commits, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_CancelledDuringAgent_FailedCancelledAndSlotReleased()
    {
        var started = new TaskCompletionSource();
        var agent = new FakeCodingAgent(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new AgentResult(true, 0);
        });
        using var h = new OrchestratorHarness(agent: agent);
        using var cts = new CancellationTokenSource();

        var run = h.Create().RunAsync(OrchestratorHarness.Task(), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(h.Slots.Held, Is.Empty);
            Assert.That(h.Registry.GetTaskAsync(TaskKey.Of(OrchestratorHarness.Task()), CancellationToken.None).Result!.State, Is.EqualTo(TaskState.Failed));
        });
    }

    [Test]
    public async Task RunAsync_TaskTimeout_TimedOut()
    {
        var agent = new FakeCodingAgent(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new AgentResult(true, 0);
        });
        using var h = new OrchestratorHarness(agent: agent);

        var result = await h.Create().RunAsync(OrchestratorHarness.Task() with { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(result.Error!.Message, Does.Contain("timeout"));
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_ArtifactStoreDown_SucceedsAndKeepsArtifactsLocally()
    {
        using var h = new OrchestratorHarness();
        h.Artifacts.FailWith = "store offline";

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded));
            Assert.That(result.Artifacts, Has.Count.EqualTo(3));
            Assert.That(result.Artifacts.All(a => a.Uri is null && a.LocalPath is not null && File.Exists(a.LocalPath)), Is.True);
            Assert.That(result.Artifacts.All(a => a.Error == "store offline"), Is.True);
        });
    }

    [Test]
    public void RunAsync_InvalidTask_ThrowsBeforeTouchingAnything()
    {
        using var h = new OrchestratorHarness();

        Assert.ThrowsAsync<TaskValidationException>(() => h.Create().RunAsync(OrchestratorHarness.Task() with { TaskId = "" }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(h.Registry.RegisteredEver, Is.Empty);
            Assert.That(h.Slots.Released, Is.Empty);
            Assert.That(Directory.Exists(h.Options.WorkDirectory), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_SecretInAgentOutput_MaskedInEventsAndRunLog()
    {
        var agent = new FakeCodingAgent(async (request, ct) =>
        {
            request.Events.Publish(new OutputLine("implement", OutputSource.StandardOutput, "token is hunter2-secret"));
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "x.txt"), "x", ct);
            return new AgentResult(true, 0);
        });
        using var h = new OrchestratorHarness(agent: agent);
        h.Masker.AddSecret("hunter2-secret");
        var recorder = new RecordingObserver();
        h.Observers.Add(recorder);

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Events.OfType<OutputLine>().Single().Text, Is.EqualTo("token is ***"));
            Assert.That(h.ArtifactText(result, "run-log.jsonl"), Does.Contain("token is ***").And.Not.Contain("hunter2"));
        });
    }

    [Test]
    public async Task RunAsync_RunLogStored_RecordHoldsTheStoredContentsDigestAndSize()
    {
        // Arrange
        using var h = new OrchestratorHarness();

        // Act
        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        // Assert: the digest taken while the store read the file is the stored content's.
        var record = result.Artifacts.Single(a => a.Name == "run-log.jsonl");
        var stored = h.Artifacts.Content[record.Uri!];
        Assert.Multiple(() =>
        {
            Assert.That(record.Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored))));
            Assert.That(record.Size, Is.EqualTo(stored.Length));
        });
    }

    [Test]
    public async Task Start_Events_OrderedFromStartToFinish()
    {
        using var h = new OrchestratorHarness();

        var run = await h.Create().StartAsync(OrchestratorHarness.Task(), CancellationToken.None);
        var events = new List<RunEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        var result = await run.Completion;
        var steps = events.OfType<StepStarted>().Select(s => s.Step).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)));
            Assert.That(events[0], Is.TypeOf<RunStarted>());
            Assert.That(events[^1], Is.TypeOf<RunFinished>());
            Assert.That(steps, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "test", "commit", "push", "upload-artifacts", "report", "release-slot" }));
            Assert.That(events.All(e => e.RunnerId == result.RunnerId && e.TaskId == "1.1"), Is.True);
        });
    }

    [Test]
    public async Task RunAsync_StateFileConfigured_HoldsFinalState()
    {
        using var h = new OrchestratorHarness();
        h.Options.StateFile = Path.Combine(h.Root, "state", "runner.json");

        await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        var json = await File.ReadAllTextAsync(h.Options.StateFile);
        Assert.That(json, Does.Contain("\"state\": \"Completed\""));
    }

    [Test]
    public async Task RunAsync_TaskHeldByLiveRunner_ConflictAndTaskUntouched()
    {
        using var h = new OrchestratorHarness();
        var task = OrchestratorHarness.Task();
        await h.Registry.RegisterRunnerAsync(new RunnerRegistration("other-runner", TaskKey.Of(task), "host", 1, DateTimeOffset.UtcNow), CancellationToken.None);
        await h.Registry.TryClaimTaskAsync(TaskKey.Of(task), "other-runner", CancellationToken.None);

        var result = await h.Create().RunAsync(task, CancellationToken.None);

        var record = await h.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(result.Error!.Message, Does.Contain("other-runner"));
            Assert.That(record!.State, Is.EqualTo(TaskState.Running));
            Assert.That(record.RunnerId, Is.EqualTo("other-runner"));
            Assert.That(h.Registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None).Result, Is.Empty);
            Assert.That(h.Slots.Released, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_TestsFailOnceThenPass_FixLoopSucceedsOnSecondAttempt()
    {
        var agent = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        using var h = new OrchestratorHarness(agent: agent, tests: new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed));

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.PassedOnAttempt, Is.EqualTo(2));
            Assert.That(result.Implementations.Select(i => i.Attempt), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(agent.Requests[1].Prompt, Does.Contain("Attempt 2").And.Contain("FAILED"));
            Assert.That(agent.Requests[1].StepName, Is.EqualTo("fix-2"));
            Assert.That(h.Workspace.Commits, Has.Count.EqualTo(1));
            Assert.That(h.Workspace.Pushes, Has.Count.EqualTo(1));
            Assert.That(result.Artifacts.Select(a => a.Name), Is.SupersetOf(new[] { "diff.attempt-1.patch", "test-results.attempt-1.json", "diff.patch", "test-results.json" }));
        });
    }

    [Test]
    public async Task RunAsync_TestsNeverPass_FailsAfterAllAttemptsAndPushesNothing()
    {
        var agent = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        using var h = new OrchestratorHarness(agent: agent, tests: new FakeTestRunner(TestOutcome.Failed));
        h.Options.MaxFixAttempts = 2;

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.Error!.Message, Does.Contain("after 3 attempts"));
            Assert.That(agent.Requests, Has.Count.EqualTo(3));
            Assert.That(h.Workspace.Pushes, Is.Empty);
            Assert.That(result.Artifacts.Select(a => a.Name), Is.SupersetOf(new[] { "test-results.attempt-1.json", "test-results.attempt-2.json", "test-results.json" }));
        });
    }

    [Test]
    public async Task RunAsync_FixLoopOff_OneAttemptOnly()
    {
        var agent = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        using var h = new OrchestratorHarness(agent: agent, tests: new FakeTestRunner(TestOutcome.Failed));
        h.Options.MaxFixAttempts = 0;

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(agent.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_AgentReportsUsage_SummedOverAttemptsInTheSummary()
    {
        var agent = new FakeCodingAgent(async (request, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "x.txt"), request.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            return new AgentResult(true, 0) { Usage = new AgentUsage(100, 20, CostUsd: 0.5m) };
        });
        using var h = new OrchestratorHarness(agent: agent, tests: new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed));

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Implementations.Select(i => i.Usage?.InputTokens), Is.EqualTo(new long?[] { 100, 100 }));
            Assert.That(result.Usage, Is.EqualTo(new AgentUsage(200, 40, CostUsd: 1.0m)));
        });
    }

    private sealed class RecordingObserver : IRunEventObserver
    {
        public List<RunEvent> Events { get; } = [];

        public void OnEvent(RunEvent runEvent) => Events.Add(runEvent);
    }

    [Test]
    public async Task StartAsync_LimiterFails_RunEndsInfrastructureErrorAndTheStreamEnds()
    {
        using var harness = new OrchestratorHarness();
        var limiter = Substitute.For<IRunConcurrencyLimiter>();
        limiter.AcquireAsync(Arg.Any<CancellationToken>()).Returns<Task<IAsyncDisposable>>(_ => throw new IOException("the lock folder is unreadable"));
        harness.RunLimiter = limiter;

        var run = await harness.Create().StartAsync(OrchestratorHarness.Task(), CancellationToken.None);
        var events = new List<RunEvent>();
        await foreach (var runEvent in run.Events)
        {
            events.Add(runEvent);
        }

        var result = await run.Completion;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InfrastructureError));
            Assert.That(result.Error!.Step, Is.EqualTo("queue"));
            Assert.That(result.Error.Message, Does.Contain("the lock folder is unreadable"));
            Assert.That(events[^1], Is.TypeOf<RunFinished>());
            Assert.That(harness.Slots.Held.Concat(harness.Slots.Released), Is.Empty, "no step that takes a slot ran");
        });
    }
}
