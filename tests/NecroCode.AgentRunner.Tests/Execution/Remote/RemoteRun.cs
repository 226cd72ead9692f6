using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.FileSystem;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

/// <summary>
/// A run out of process as the host finds it once it ended: a job folder written as the runner inside writes it (its
/// registry, its artifacts), what it printed, and the host's registry, store and settlement (Testing fakes).
/// </summary>
internal sealed class RemoteRun : IDisposable
{
    public const string HostRunnerId = "host-runner";
    public const string Branch = "feature/calc-1";
    public static readonly string Commit = new('c', 40);

    private readonly TempFolder _dir = new();

    public RemoteRun(RemotePushVerifier? verifier = null, IEnumerable<IRunEventObserver>? observers = null)
    {
        Job = RemoteJobFolder.Create(_dir.Combine("jobs"), HostRunnerId);
        Inner = new FileSystemTaskRegistry(Options.Create(new FileSystemOptions { RootPath = Job.StatePath }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        Settlement = new RemoteRunSettlement(
            Registry, Store, new RemoteSettlementOptions(HostRunnerId, "NecroCode:Test:VerifyPush"), TimeProvider.System, NullLogger.Instance, Masker, verifier, observers);
        Request = new ExecutionRequest(Task, Sink);
        Output = Settlement.CreateReader(Request);
    }

    public TaskContext Task { get; set; } = new() { TaskId = "1", SpecName = "calc", Title = "Add subtraction", SlotPath = "/host/slots/slot-1" };

    public TaskKey Key => TaskKey.Of(Task);

    public RemoteJobFolder Job { get; }

    /// <summary>The registry the runner inside writes (in the job folder's state).</summary>
    public FileSystemTaskRegistry Inner { get; }

    public FakeTaskRegistry Registry { get; } = new();

    public FakeArtifactStore Store { get; } = new();

    public SecretMaskerStub Masker { get; } = new();

    public RecordingEventSink Sink { get; } = new();

    public RemoteRunSettlement Settlement { get; }

    public ExecutionRequest Request { get; private set; }

    public RemoteEventReader Output { get; private set; }

    public string Folder(params string[] parts) => _dir.Combine(parts);

    /// <summary>Writes the inner registry of a run that completed the task, as the runner inside does.</summary>
    public async Task<RemoteRun> DoneInsideAsync(TaskKey? key = null)
    {
        var task = key ?? Key;
        await Inner.AppendEventAsync(new TaskEvent(task, TaskEventTypes.TaskStarted, DateTimeOffset.UtcNow, "runner-inner", "Runner runner-inner started the task."), CancellationToken.None);
        await Inner.AppendEventAsync(new TaskEvent(task, TaskEventTypes.TaskCompleted, DateTimeOffset.UtcNow, "runner-inner", "Pushed."), CancellationToken.None);
        await Inner.SetTaskStateAsync(task, TaskState.Done, "runner-inner", CancellationToken.None);
        return this;
    }

    /// <summary>Writes a file below the job folder (by its path there) and returns its path as the runner inside names it.</summary>
    public string WriteInside(string relative, string content)
    {
        var path = Path.Combine(Job.HostPath, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return Job.MountPath + "/" + relative;
    }

    /// <summary>A result of the runner inside that reports a verified-looking success.</summary>
    public RunnerResult Success(params ArtifactRecord[] artifacts) => new()
    {
        TaskId = Task.TaskId,
        SpecName = Task.SpecName,
        RunnerId = "runner-inner",
        Outcome = RunOutcome.Succeeded,
        State = RunnerState.Completed,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(5),
        Branch = Branch,
        CommitId = Commit,
        Push = new PushResult(true, "origin", Branch, Commit, 1),
        Artifacts = artifacts,
    };

    /// <summary>Prints <paramref name="result"/> as the runner's result line, <paramref name="times"/> times.</summary>
    public RemoteRun Prints(RunnerResult result, int times = 1)
    {
        var line = new JsonObject { ["type"] = "run.result", ["result"] = JsonNode.Parse(AgentRunnerJson.Serialize(result)) }.ToJsonString() + "\n";
        for (var i = 0; i < times; i++)
        {
            Output.Write(Encoding.UTF8.GetBytes(line), OutputSource.StandardOutput);
        }

        return this;
    }

    /// <summary>Settles the run as one that exited by itself with <paramref name="exitCode"/> (or as <paramref name="end"/> says).</summary>
    public Task<RunnerResult> SettleAsync(long exitCode = 0, RemoteRunEnd? end = null)
    {
        Output.Complete();
        return Settlement.SettleAsync(Request, Job, Output, end ?? new RemoteRunEnd { StartedAt = DateTimeOffset.UnixEpoch, ExitCode = exitCode, Timeout = TimeSpan.FromMinutes(5) }, CancellationToken.None);
    }

    /// <summary>Runs under a claim its caller holds as <paramref name="runnerId"/> (before anything is printed).</summary>
    public RemoteRun UnderClaimOf(string runnerId)
    {
        Request = Request with { RunnerId = runnerId };
        Output = Settlement.CreateReader(Request);
        return this;
    }

    /// <summary>Uses another task (before anything is printed).</summary>
    public RemoteRun For(TaskContext task)
    {
        Task = task;
        Request = new ExecutionRequest(task, Sink);
        Output = Settlement.CreateReader(Request);
        return this;
    }

    public void Dispose() => _dir.Dispose();
}

