using NecroCode.AgentRunner.Execution.Remote;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
[Category("Integration")]
public sealed partial class DockerExecutionEnvironmentTests
{
    private const string ImplementsSubtraction = """
        cat > /dev/null
        echo "agent: implementing subtraction"
        printf '#!/bin/sh\ncase "${3:-+}" in\n  -) echo $(( $1 - $2 ));;\n  *) echo $(( $1 + $2 ));;\nesac\n' > calc.sh
        mkdir -p tests
        printf '#!/bin/sh\n[ "$(sh calc.sh 5 3 -)" = 2 ]\n' > tests/sub.sh
        echo "agent: done"
        """;

    private DockerSandbox _sandbox = null!;
    private DockerClient _client = null!;
    private string _image = null!;
    private readonly List<string> _runnerIds = [];

    [SetUp]
    public async Task SetUp()
    {
        _image = await DockerTestEngine.RequireImageAsync();
        _sandbox = await DockerSandbox.CreateAsync();
        _client = DockerTestEngine.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        try
        {
            if (_client is not null)
            {
                var ours = await ListOursAsync(null);
                Assert.That(ours, Is.Empty, "containers labelled necrocode.runner remain after the test");
            }
        }
        finally
        {
            _client?.Dispose();
            _sandbox?.Dispose();
        }
    }

    [Test]
    public async Task RunAsync_FullTask_PushesBranchStoresArtifactsAndMarksDone()
    {
        using var environment = Create(_sandbox.Options(_image, ImplementsSubtraction));
        var sink = new RecordingEventSink();

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message + "\n" + string.Join('\n', sink.JsonLines));
        var pushed = await DockerSandbox.GitAsync(_sandbox.Root, "--git-dir", _sandbox.Origin, "rev-parse", result.Branch!);
        Assert.That(pushed, Is.EqualTo(result.CommitId));
        Assert.That(result.Artifacts, Is.Not.Empty.And.All.Matches<ArtifactRecord>(a => a.Stored && a.Uri!.LocalPath.StartsWith(_sandbox.HostState, StringComparison.Ordinal)));
        foreach (var artifact in result.Artifacts)
        {
            await using var content = await _sandbox.Store.OpenReadAsync(artifact.Uri!, CancellationToken.None);
            Assert.That(content.Length, Is.EqualTo(artifact.Size), artifact.Name);
        }

        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        var events = await _sandbox.Registry.GetEventsAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Done));
        Assert.That(record.Artifacts.Count, Is.EqualTo(result.Artifacts.Count));
        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { TaskEventTypes.TaskStarted, TaskEventTypes.TaskCompleted }));
        Assert.That(sink.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Succeeded));
        var claim = await _sandbox.Registry.GetBranchClaimAsync(result.Branch!, CancellationToken.None);
        Assert.That(claim?.Owner, Is.EqualTo(TaskKey.Of(_sandbox.Task())), "the host's registry records the branch as the task's");
    }

    [Test]
    public async Task RunAsync_BranchClaimedByAnotherTaskOnTheHost_ConflictAndNotDone()
    {
        using var environment = Create(_sandbox.Options(_image, ImplementsSubtraction));
        var task = _sandbox.Task() with { BranchName = "feature/shared" };
        var other = new TaskKey(task.SpecName, "other");
        await _sandbox.Registry.TryClaimBranchAsync("feature/shared", other, "runner-other", CancellationToken.None);

        var result = await environment.RunAsync(new ExecutionRequest(task, new RecordingEventSink()), CancellationToken.None);

        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Conflict), result.Error?.Message);
            Assert.That(result.Error?.Message, Does.Contain("feature/shared").And.Contain(other.ToString()));
            Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
        });
    }

    [Test]
    public async Task RunAsync_AgentExceedsMemoryLimit_FailsWithOutOfMemoryReason()
    {
        var options = _sandbox.Options(_image, "cat > /dev/null\ndd if=/dev/zero of=/dev/null bs=512M count=1\necho survived");
        options.MemoryBytes = 192L * 1024 * 1024;
        using var environment = Create(options);

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error!.Message, Does.Contain("Out of memory"));
        Assert.That(result.Error.ExceptionType, Is.EqualTo("OutOfMemory"));
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_ContainerPastTimeout_StopsRemovesAndFails()
    {
        var options = _sandbox.Options(_image, "cat > /dev/null\nsleep 600");
        options.Timeout = TimeSpan.FromSeconds(5);
        using var environment = Create(options);
        var sink = new RecordingEventSink();

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
        Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
        Assert.That(await ListOursAsync(options.RunnerId), Is.Empty);
        Assert.That(sink.Events.OfType<RunFinished>().Last().Outcome, Is.EqualTo(RunOutcome.TimedOut));
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_Cancelled_StopsAndRemovesTheContainer()
    {
        var options = _sandbox.Options(_image, "cat > /dev/null\nsleep 600");
        using var environment = Create(options);
        using var cancellation = new CancellationTokenSource();

        var run = environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), cancellation.Token);
        await InspectRunningAsync(options.RunnerId);
        await cancellation.CancelAsync();
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled));
        Assert.That(await ListOursAsync(options.RunnerId), Is.Empty);
    }

    [Test]
    public async Task RunAsync_SecretFromFile_NeverInContainerEnvironmentNorOutput()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "token"), secret);
        var script = "i=0; while [ ! -e /necrocode/job/state/go ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done\n"
            + "[ \"$(wc -c < /necrocode/secrets/token)\" -gt 10 ] && echo 'agent: token file present'\n"
            + "echo \"agent: plain=$(cat /necrocode/secrets/token)\"\necho \"agent: base64=$(base64 < /necrocode/secrets/token)\" >&2\n"
            + ImplementsSubtraction;
        var options = _sandbox.Options(_image, script);
        options.SecretsPath = _sandbox.SecretsPath;
        var logger = new FakeLogger<DockerExecutionEnvironment>();
        using var environment = Create(options, new SecretMasker(), logger);
        var sink = new RecordingEventSink();

        var run = environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);
        var inspected = await InspectRunningAsync(options.RunnerId);
        File.WriteAllText(Path.Combine(options.JobsPath, options.RunnerId, inspected.Config.Labels["necrocode.job"], "state", "go"), "");
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        Assert.That(inspected.Config.Env, Has.None.Contains(secret).And.None.Contains(encoded));
        Assert.That(inspected.Config.Env, Does.Contain("NecroCode__Credentials__OptionalSecrets__0=token"));
        var output = sink.Events.OfType<OutputLine>().Select(o => o.Text).ToList();
        Assert.That(output, Does.Contain("agent: token file present"));
        Assert.That(output, Has.Some.StartsWith("agent: plain=").And.Some.StartsWith("agent: base64="), "the agent printed the secret");
        foreach (var text in new[] { secret, encoded })
        {
            Assert.That(sink.JsonLines, Has.None.Contains(text));
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.None.Contains(text));
            Assert.That(AgentRunnerJson.Serialize(result), Does.Not.Contain(text));
            foreach (var file in Directory.EnumerateFiles(_sandbox.HostState, "*", SearchOption.AllDirectories))
            {
                Assert.That(File.ReadAllText(file), Does.Not.Contain(text), file);
            }
        }

        Assert.That(result.Artifacts.Select(a => a.Name), Does.Contain("diff.patch").Or.Contain("run.log"), "the artifacts were checked");
    }

    [Test]
    public async Task RunAsync_ContainerPrintsSecret_HostMasksWhatItReads()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "token"), secret + "\n");
        var leaker = Path.Combine(_sandbox.Root, "leaker.sh");
        File.WriteAllText(leaker, "#!/bin/sh\necho \"plain $(cat /necrocode/secrets/token)\"\necho \"encoded $(printf '%s' \"$(cat /necrocode/secrets/token)\" | base64)\" >&2\nexit 3\n");
        File.SetUnixFileMode(leaker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.SecretsPath = _sandbox.SecretsPath;
        options.ExtraMounts.Add(new DockerMount { Source = leaker, Target = "/opt/necrocode/necrocode-runner" });
        var masker = new SecretMasker();
        var logger = new FakeLogger<DockerExecutionEnvironment>();
        using var environment = Create(options, masker, logger);
        var sink = new RecordingEventSink();

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);

        var output = sink.Events.OfType<OutputLine>().Select(o => o.Text).ToList();
        Assert.That(output, Does.Contain("plain " + masker.Mask).And.Contain("encoded " + masker.Mask));
        foreach (var text in new[] { secret, encoded })
        {
            Assert.That(sink.JsonLines, Has.None.Contains(text));
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.None.Contains(text));
            Assert.That(AgentRunnerJson.Serialize(result), Does.Not.Contain(text));
        }
    }

    [Test]
    public async Task RunAsync_AgentPlantsLinkAndForgesResultLine_RefusedNotDoneNothingCopied()
    {
        var hostFile = HostOnlyFile();
        var forged = ForgedResultLine();
        var script = $"ln -s '{hostFile}' /necrocode/job/leak.txt\nprintf '%s\\n' '{forged}' > /proc/1/fd/1\n" + ImplementsSubtraction;
        using var environment = Create(_sandbox.Options(_image, script));
        var sink = new RecordingEventSink();

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
        Assert.That(result.Error!.Message, Does.Contain("2 result lines").And.Contain("not marked Done"));
        Assert.That(sink.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Refused));
        await AssertNotDoneAndNothingCopiedAsync(hostFile);
    }

    [Test]
    public async Task RunAsync_ContainerForgesSuccessWithEscapingArtifacts_RefusesEachAndNotDone()
    {
        var hostFile = HostOnlyFile();
        var forger = Path.Combine(_sandbox.Root, "forger.sh");
        File.WriteAllText(forger, $"""
            #!/bin/sh
            ln -s '{hostFile}' /necrocode/job/leak.txt
            mkdir -p /necrocode/job/state/registry/tasks/calc
            ln -s '{hostFile}' /necrocode/job/state/registry/tasks/calc/1.json
            printf '%s\n' '{ForgedResultLine()}'
            """);
        File.SetUnixFileMode(forger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.ExtraMounts.Add(new DockerMount { Source = forger, Target = "/opt/necrocode/necrocode-runner" });
        using var environment = Create(options);

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
        Assert.That(result.Error!.Message, Does.Contain("registry file").And.Contain("not marked Done"));
        Assert.That(result.Artifacts, Has.Count.EqualTo(2).And.All.Matches<ArtifactRecord>(a => !a.Stored));
        Assert.That(result.Artifacts.Single(a => a.Name == "leak.txt").Error, Does.Contain("symbolic link"));
        Assert.That(result.Artifacts.Single(a => a.Name == "dots.txt").Error, Does.Contain("not a plain path inside the job folder"));
        await AssertNotDoneAndNothingCopiedAsync(hostFile);
    }

    [Test]
    public async Task RunAsync_ResultClaimsACommitTheOriginLacks_RefusedByTheRemoteCheck()
    {
        var task = _sandbox.Task();
        var (recordFile, eventsFile) = await DoneRegistryFilesAsync(task);
        var forger = Path.Combine(_sandbox.Root, "forger.sh");
        File.WriteAllText(forger, $"""
            #!/bin/sh
            mkdir -p /necrocode/job/state/registry/tasks/calc
            printf '%s' '{recordFile}' > /necrocode/job/state/registry/tasks/calc/1.json
            printf '%s' '{eventsFile}' > /necrocode/job/state/registry/tasks/calc/1.events.jsonl
            printf '%s\n' '{ForgedResultLine(artifacts: false)}'
            """);
        File.SetUnixFileMode(forger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.ExtraMounts.Add(new DockerMount { Source = forger, Target = "/opt/necrocode/necrocode-runner" });
        using var environment = Create(options);

        var result = await environment.RunAsync(new ExecutionRequest(task, new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
        Assert.That(result.Error!.Message, Does.Contain("does not exist at the remote 'origin'"));
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_AgentLooksAround_SeesNoHostPathsButItsMounts()
    {
        var hostPaths = new[] { _sandbox.HostState, _sandbox.Slot, _sandbox.JobsPath, "/work", "/root/.nuget", TestContext.CurrentContext.TestDirectory };
        var checks = string.Join('\n', hostPaths.Select(p => $"if [ -e '{p}' ]; then echo 'VISIBLE {p}'; else echo 'ABSENT {p}'; fi"));
        var script = "ls / | sed 's/^/ROOT /'\n" + checks + "\n[ -d /necrocode/job/workspace/.git ] && echo 'MOUNTED job'\n" + ImplementsSubtraction;
        using var environment = Create(_sandbox.Options(_image, script));
        var sink = new RecordingEventSink();

        await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), sink), CancellationToken.None);

        var output = sink.Events.OfType<OutputLine>().Select(o => o.Text).ToList();
        Assert.That(output, Has.None.StartsWith("VISIBLE"));
        Assert.That(output.Count(l => l.StartsWith("ABSENT", StringComparison.Ordinal)), Is.EqualTo(hostPaths.Length));
        Assert.That(output, Does.Contain("MOUNTED job").And.Contain("ROOT necrocode").And.Not.Contain("ROOT work"));
    }

    [Test]
    public async Task RunAsync_ContainerKilledFromOutside_FailsWithClearReasonAndRemovesIt()
    {
        var options = _sandbox.Options(_image, "cat > /dev/null\nsleep 600");
        using var environment = Create(options);

        var run = environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        var inspected = await InspectRunningAsync(options.RunnerId);
        await _client.Containers.KillContainerAsync(inspected.ID, new ContainerKillParameters { Signal = "KILL" });
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InfrastructureError));
        Assert.That(result.Error!.Message, Does.Contain("killed by signal 9"));
        Assert.That(result.Error.ExceptionType, Is.EqualTo("ContainerKilled"));
        Assert.That(await ListOursAsync(options.RunnerId), Is.Empty);
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_EngineConnectionLostMidRun_ThrowsTypedErrorMarksFailedAndRemovesContainer()
    {
        using var proxy = new EngineProxy(Path.Combine(_sandbox.Root, "engine.sock"));
        var options = _sandbox.Options(_image, "cat > /dev/null\nsleep 600");
        options.Endpoint = proxy.Endpoint;
        using var environment = Create(options);

        var run = environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        await InspectRunningAsync(options.RunnerId);
        await WaitForAsync(() => proxy.OpenConnections >= 2);
        proxy.DropConnections();

        var ex = Assert.ThrowsAsync<DockerEngineUnavailableException>(() => run);

        Assert.That(ex!.Message, Does.Contain("lost while container"));
        Assert.That(await ListOursAsync(options.RunnerId), Is.Empty);
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_ContainerRemovedFromOutsideMidRun_EndsFailedOrTypedErrorAndMarksFailed()
    {
        var options = _sandbox.Options(_image, "cat > /dev/null\nsleep 600");
        using var environment = Create(options);

        var run = environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        var inspected = await InspectRunningAsync(options.RunnerId);
        await _client.Containers.RemoveContainerAsync(inspected.ID, new ContainerRemoveParameters { Force = true });

        // The engine answers the wait when the container is killed and may or may not still know it when
        // asked next: either a failed result or a typed error (never a raw engine exception).
        try
        {
            var result = await run;
            Assert.That(result.Error!.Message, Does.Contain("killed by signal"));
        }
        catch (ExecutionEnvironmentException ex)
        {
            Assert.That(ex.Message, Does.Contain("Docker engine"));
        }

        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_LeftoverOfKilledRun_IsRemovedOnStart()
    {
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        var leftover = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = _image,
            Entrypoint = ["sleep"],
            Cmd = ["600"],
            Labels = new Dictionary<string, string> { ["necrocode.runner"] = options.RunnerId, ["necrocode.pid"] = DeadPid().ToString(CultureInfo.InvariantCulture), ["necrocode.job"] = "job-leftover" },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await _client.Containers.StartContainerAsync(leftover.ID, new ContainerStartParameters());
        using var environment = Create(options);

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _client.Containers.InspectContainerAsync(leftover.ID));
    }

    [Test]
    public async Task RunAsync_LeftoverOfDeadOwnerWithThisPid_IsRemovedWhileOneOfThisProcessIsKept()
    {
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        var parts = RemoteRunOwner.Current.Split('/');
        var reusedPid = await CreateSleeperAsync(options.RunnerId, string.Join('/', parts[0], parts[1], "1"), "job-reused");
        var ours = await CreateSleeperAsync(options.RunnerId, RemoteRunOwner.Current, "job-ours");
        try
        {
            using var environment = Create(options);

            var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _client.Containers.InspectContainerAsync(reusedPid));
            Assert.That((await _client.Containers.InspectContainerAsync(ours)).State.Running, Is.True);
        }
        finally
        {
            await _client.Containers.RemoveContainerAsync(ours, new ContainerRemoveParameters { Force = true });
        }
    }

    [Test]
    public void RunAsync_ImageMissing_ThrowsDockerImageMissing()
    {
        var options = _sandbox.Options("necrocode-runner-test:does-not-exist", ImplementsSubtraction);
        using var environment = Create(options);

        var ex = Assert.ThrowsAsync<DockerImageMissingException>(() => environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("necrocode-runner-test:does-not-exist"));
    }

    [Test]
    public void RunAsync_EngineUnreachable_ThrowsTransientDockerEngineUnavailable()
    {
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.Endpoint = "unix://" + Path.Combine(_sandbox.Root, "no-engine.sock");
        using var environment = Create(options);

        var ex = Assert.ThrowsAsync<DockerEngineUnavailableException>(() => environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None));

        Assert.That(ex!.IsTransient, Is.True);
        Assert.That(ex.Message, Does.Contain("no-engine.sock"));
    }

    [Test]
    public void RunAsync_Resume_RefusedAsNotSupportedAndNothingStarted()
    {
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        using var environment = Create(options);

        var ex = Assert.ThrowsAsync<NotSupportedException>(() => environment.RunAsync(new ExecutionRequest(_sandbox.Task()) { Resume = true }, CancellationToken.None));

        Assert.That(((IExecutionEnvironment)environment).SupportsResume, Is.False);
        Assert.That(ex!.Message, Is.EqualTo("resume runs in local mode only; the execution mode is docker."));
        Assert.That(Directory.Exists(options.JobsPath), Is.False);
    }

    private string HostOnlyFile()
    {
        var path = Path.Combine(_sandbox.Root, "host-only.txt");
        File.WriteAllText(path, "host-only-" + Guid.NewGuid().ToString("N"));
        return path;
    }

    /// <summary>A run.result line claiming success, with artifacts named by a planted link and by a '..' path.</summary>
    private static string ForgedResultLine(bool artifacts = true)
    {
        var forged = new RunnerResult
        {
            TaskId = "1",
            SpecName = "calc",
            RunnerId = "forger",
            Outcome = RunOutcome.Succeeded,
            State = RunnerState.Completed,
            StartedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch,
            Branch = "forged",
            CommitId = new string('a', 40),
            Push = new PushResult(true, "origin", "forged", new string('a', 40), 1),
            Artifacts = artifacts
                ?
                [
                    new ArtifactRecord(ArtifactKind.RunLog, "leak.txt", new Uri("file:///necrocode/job/leak.txt"), 10, new string('0', 64)),
                    new ArtifactRecord(ArtifactKind.RunLog, "dots.txt", null, 10, new string('0', 64), LocalPath: "/necrocode/job/../../../host-only.txt"),
                ]
                : [],
        };
        var line = new System.Text.Json.Nodes.JsonObject { ["type"] = "run.result", ["result"] = System.Text.Json.Nodes.JsonNode.Parse(AgentRunnerJson.Serialize(forged)) };
        return line.ToJsonString();
    }

    /// <summary>The registry files of <paramref name="task"/> as a real registry writes them for a Done task.</summary>
    private async Task<(string Record, string Events)> DoneRegistryFilesAsync(TaskContext task)
    {
        var root = Path.Combine(_sandbox.Root, "forged-state");
        var registry = new FileSystemTaskRegistry(
            Microsoft.Extensions.Options.Options.Create(new FileSystemOptions { RootPath = root }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        var key = TaskKey.Of(task);
        await registry.AppendEventAsync(new TaskEvent(key, TaskEventTypes.TaskCompleted, DateTimeOffset.UtcNow, "forger"), CancellationToken.None);
        await registry.SetTaskStateAsync(key, TaskState.Done, "forger", CancellationToken.None);
        var folder = Path.Combine(root, "registry", "tasks", "calc");
        return (File.ReadAllText(Path.Combine(folder, "1.json")), File.ReadAllText(Path.Combine(folder, "1.events.jsonl")));
    }

    private async Task AssertNotDoneAndNothingCopiedAsync(string hostFile)
    {
        var marker = File.ReadAllText(hostFile);
        var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        var events = await _sandbox.Registry.GetEventsAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
        Assert.That(events.Select(e => e.Type), Does.Not.Contain(TaskEventTypes.TaskCompleted).And.Contain(TaskEventTypes.TaskFailed));
        foreach (var file in Directory.EnumerateFiles(_sandbox.HostState, "*", SearchOption.AllDirectories))
        {
            Assert.That(File.ReadAllText(file), Does.Not.Contain(marker), file);
        }
    }

    private DockerExecutionEnvironment Create(DockerOptions options, ISecretMasker? masker = null, ILogger<DockerExecutionEnvironment>? logger = null, IRemoteBranchReader? remoteBranches = null)
    {
        _runnerIds.Add(options.RunnerId);
        return new DockerExecutionEnvironment(
            Microsoft.Extensions.Options.Options.Create(options), _sandbox.Registry, _sandbox.Store, TimeProvider.System, logger ?? NullLogger<DockerExecutionEnvironment>.Instance, masker, remoteBranches);
    }

    private async Task<IList<ContainerListResponse>> ListOursAsync(string? runnerId)
    {
        var label = runnerId is null ? "necrocode.runner" : "necrocode.runner=" + runnerId;
        return await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });
    }

    private async Task<ContainerInspectResponse> InspectRunningAsync(string runnerId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var found = await ListOursAsync(runnerId);
            if (found.Count > 0 && found[0].State == "running")
            {
                return await _client.Containers.InspectContainerAsync(found[0].ID);
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>A running container labelled as a leftover of <paramref name="runnerId"/> owned by <paramref name="owner"/>.</summary>
    private async Task<string> CreateSleeperAsync(string runnerId, string owner, string job)
    {
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = _image,
            Entrypoint = ["sleep"],
            Cmd = ["600"],
            Labels = new Dictionary<string, string>
            {
                ["necrocode.runner"] = runnerId,
                ["necrocode.pid"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["necrocode.owner"] = owner,
                ["necrocode.job"] = job,
            },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }
}
