using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

// What the host does not believe, and how a run that did not end by itself is concluded.
public sealed partial class RemoteRunSettlementTests
{
    [Test]
    public async Task SettleAsync_TwoResultLines_RefusedAsForgedAndNotDone()
    {
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success(), times: 2);

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.ExceptionType, Is.EqualTo("UnverifiedResult"));
        Assert.That(result.Error.Message, Does.Contain("2 result lines").And.Contain("not marked Done"));
        Assert.That((await _run.Registry.GetTaskAsync(_run.Key, CancellationToken.None))!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task SettleAsync_RegistryInsideNotDone_Refused()
    {
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain("does not show the task Done"));
    }

    [Test]
    public async Task SettleAsync_RegistryFileIsASymbolicLink_Refused()
    {
        var hostFile = _run.Folder("host-only.json");
        File.WriteAllText(hostFile, "{}");
        Directory.CreateDirectory(Path.Combine(_run.Job.HostPath, "state", "registry", "tasks", "calc"));
        File.CreateSymbolicLink(Path.Combine(_run.Job.HostPath, "state", "registry", "tasks", "calc", "1.json"), hostFile);
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain("registry file '1.json' was refused").And.Contain("symbolic link"));
    }

    [Test]
    public async Task SettleAsync_BranchOtherThanTheTasks_Refused()
    {
        _run.For(_run.Task with { BranchName = "feature/expected" });
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain($"named the branch '{RemoteRun.Branch}', not the task's 'feature/expected'"));
    }

    [Test]
    public async Task SettleAsync_PushResultForAnotherCommit_Refused()
    {
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success() with { Push = new PushResult(true, "origin", RemoteRun.Branch, new string('d', 40), 1) });

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain("push result does not match"));
    }

    [Test]
    public async Task SettleAsync_RemoteHasAnotherCommit_RefusedByTheVerifier()
    {
        using var run = new RemoteRun(Verifier(new string('e', 40)));
        await run.DoneInsideAsync();
        run.Prints(run.Success());

        var result = await run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain($"at the remote is {new string('e', 40)}, not the reported commit {RemoteRun.Commit}"));
    }

    [Test]
    public async Task SettleAsync_RemoteConfirms_Succeeds()
    {
        using var run = new RemoteRun(Verifier(RemoteRun.Commit));
        await run.DoneInsideAsync();
        run.Prints(run.Success());

        var result = await run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }

    [Test]
    public async Task SettleAsync_VerifyingWithoutASlot_RefusedNamingTheSetting()
    {
        using var run = new RemoteRun(Verifier(RemoteRun.Commit));
        run.For(run.Task with { SlotPath = null });
        await run.DoneInsideAsync();
        run.Prints(run.Success());

        var result = await run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
        Assert.That(result.Error!.Message, Does.Contain("set NecroCode:Test:VerifyPush to false"));
    }

    [Test]
    public async Task SettleAsync_BranchClaimedByAnotherTaskOnTheHost_ConflictAndNotDone()
    {
        await _run.Registry.TryClaimBranchAsync(RemoteRun.Branch, new TaskKey("calc", "other"), "runner-other", CancellationToken.None);
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Conflict));
        Assert.That(result.Error!.Message, Does.Contain("calc/other"));
        Assert.That((await _run.Registry.GetTaskAsync(_run.Key, CancellationToken.None))!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task SettleAsync_TimedOut_FailsTimedOutEvenWithASuccessPrinted()
    {
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync(end: new RemoteRunEnd { StartedAt = DateTimeOffset.UnixEpoch, TimedOut = true, Timeout = TimeSpan.FromSeconds(5), ExitCode = 137 });

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
        Assert.That(result.Error!.Message, Does.Contain("ran past its timeout of 00:00:05"));
        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        Assert.That(events[^1].Type, Is.EqualTo(TaskEventTypes.TaskFailed));
    }

    [Test]
    public async Task SettleAsync_KilledBySignalWithoutResult_NamesTheSignal()
    {
        var result = await _run.SettleAsync(exitCode: 137);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InfrastructureError));
        Assert.That(result.Error!.ExceptionType, Is.EqualTo("ContainerKilled"));
        Assert.That(result.Error.Message, Does.Contain("killed by signal 9 (exit code 137)"));
        Assert.That(result.RunnerId, Is.EqualTo(RemoteRun.HostRunnerId));
    }

    [Test]
    public async Task SettleAsync_OutOfMemory_NamesTheLimit()
    {
        var result = await _run.SettleAsync(end: new RemoteRunEnd { StartedAt = DateTimeOffset.UnixEpoch, OutOfMemory = true, MemoryLimitBytes = 1024, ExitCode = 137 });

        Assert.That(result.Error!.ExceptionType, Is.EqualTo("OutOfMemory"));
        Assert.That(result.Error.Message, Does.Contain("memory limit of 1024 bytes"));
    }

    /// <summary>A verifier whose remote has <see cref="RemoteRun.Branch"/> at <paramref name="commit"/>.</summary>
    private static RemotePushVerifier Verifier(string commit) =>
        new(new RemoteSecretFolder(null, "NecroCode:Test:SecretsPath"), TimeProvider.System, NullLogger.Instance, remoteBranches: new FixedRemote(commit));

    private sealed class FixedRemote(string commit) : IRemoteBranchReader
    {
        public Task<string?> ReadBranchAsync(string slotPath, string branch, IRunSecrets secrets, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(branch == RemoteRun.Branch ? commit : null);
    }
}
