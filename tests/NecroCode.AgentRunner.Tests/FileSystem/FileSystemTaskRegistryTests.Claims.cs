using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

public sealed partial class FileSystemTaskRegistryTests
{
    [Test]
    public async Task TryClaimTaskAsync_NewTask_ClaimsAndSetsRunning()
    {
        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(claim, Is.EqualTo(new TaskClaim(true, Fence: 1)));
        Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, "runner-1")));
    }

    [Test]
    public async Task TryClaimTaskAsync_RunningUnderLiveRunnerOfThisProcess_IsRefusedNamingHolder()
    {
        await RegisterAsync("runner-1", Environment.ProcessId, DateTimeOffset.UtcNow);
        await _registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(claim, Is.EqualTo(new TaskClaim(false, "runner-1")));
        Assert.That(record!.RunnerId, Is.EqualTo("runner-1"));
    }

    [Test]
    [Category("Integration")]
    public async Task TryClaimTaskAsync_RunningUnderLiveRunnerProcess_IsRefused()
    {
        using var sleeper = ChildProcess.Sleep();
        await RegisterAsync("runner-1", sleeper.Id, DateTimeOffset.UtcNow);
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim, Is.EqualTo(new TaskClaim(false, "runner-1")));
    }

    [Test]
    [Category("Integration")]
    public async Task TryClaimTaskAsync_RunningUnderKilledRunnerProcess_TakesOver()
    {
        int deadPid;
        using (var sleeper = ChildProcess.Sleep())
        {
            deadPid = sleeper.Id;
            await RegisterAsync("runner-1", deadPid, DateTimeOffset.UtcNow);
            sleeper.Kill();
        }

        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(claim, Is.EqualTo(new TaskClaim(true, Fence: 1)));
        Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, "runner-2")));
    }

    [Test]
    [Category("Integration")]
    public async Task TryClaimTaskAsync_HolderPidReusedByLaterProcess_TakesOver()
    {
        using var sleeper = ChildProcess.Sleep();
        await RegisterAsync("runner-1", sleeper.Id, DateTimeOffset.UtcNow.AddHours(-1));
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim.Claimed, Is.True);
    }

    [Test]
    public async Task TryClaimTaskAsync_HolderIdentityFromEarlierBoot_TakesOver()
    {
        await RegisterAsync("runner-1", Environment.ProcessId, DateTimeOffset.UtcNow);
        var identity = Path.Combine(_registry.RootPath, "runners", "runner-1.identity");
        await File.WriteAllTextAsync(identity, System.Text.Json.JsonSerializer.Serialize(ProcessIdentity.Current with { BootId = "an-earlier-boot" }, FileSystemJsonContext.Default.ProcessIdentity));
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim.Claimed, Is.True);
    }

    [Test]
    public async Task TryClaimTaskAsync_HolderNotRegistered_TakesOver()
    {
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim.Claimed, Is.True);
    }

    [Test]
    public async Task TryClaimTaskAsync_HolderOnOtherHost_IsRefused()
    {
        await _registry.RegisterRunnerAsync(new RunnerRegistration("runner-1", Task1, "another-host", 999_999, DateTimeOffset.UnixEpoch), CancellationToken.None);
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim, Is.EqualTo(new TaskClaim(false, "runner-1")));
    }

    [Test]
    public async Task TryClaimTaskAsync_SameRunnerAgain_Claims()
    {
        await RegisterAsync("runner-1", Environment.ProcessId, DateTimeOffset.UtcNow);
        await _registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        var again = await _registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        Assert.That(again.Claimed, Is.True);
    }

    [TestCase(TaskState.Done)]
    [TestCase(TaskState.Failed)]
    [TestCase(TaskState.Pending)]
    public async Task TryClaimTaskAsync_NotRunning_ClaimsKeepingArtifacts(TaskState state)
    {
        await RegisterAsync("runner-1", Environment.ProcessId, DateTimeOffset.UtcNow);
        await _registry.SetTaskStateAsync(Task1, state, "runner-1", CancellationToken.None);
        await _registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("file:///a/1"), 1, "aa"), "runner-a", CancellationToken.None);

        var claim = await _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(claim.Claimed, Is.True);
        Assert.That((record!.State, record.RunnerId, record.Artifacts.Count), Is.EqualTo((TaskState.Running, "runner-2", 1)));
    }

    [Test]
    public async Task TryClaimTaskAsync_CorruptHolderRegistration_ThrowsNamingFile()
    {
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);
        var path = Path.Combine(_registry.RootPath, "runners", "runner-1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"runnerId\":");

        var ex = Assert.ThrowsAsync<RegistryException>(() => _registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path));
    }

    [Test]
    public void TryClaimTaskAsync_UnsafeRunnerId_ThrowsArgumentException()
    {
        Assert.That(() => _registry.TryClaimTaskAsync(Task1, "../runner", CancellationToken.None), Throws.ArgumentException.With.Message.Contain("runner id"));
    }

    [Test]
    public async Task UnregisterRunnerAsync_RegisteredItself_RemovesIdentityToo()
    {
        await RegisterAsync("runner-1", Environment.ProcessId, DateTimeOffset.UtcNow);

        await _registry.UnregisterRunnerAsync("runner-1", CancellationToken.None);

        Assert.That(Directory.GetFiles(Path.Combine(_registry.RootPath, "runners")), Is.Empty);
    }

    [Test]
    [Category("Integration")]
    public async Task TryClaimTaskAsync_EightProcessesAtOnce_ExactlyOneClaims()
    {
        const int Claimers = 8;
        var barrier = _dir.Combine("go");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var children = Enumerable.Range(0, Claimers).Select(i => ChildProcess.Hook("claim-task", new Dictionary<string, string>
        {
            ["NECROCODE_FSTEST_ROOT"] = _registry.RootPath,
            ["NECROCODE_FSTEST_RUNNER"] = $"runner-{i}",
            ["NECROCODE_FSTEST_BARRIER"] = barrier,
        })).ToList();
        try
        {
            foreach (var child in children)
            {
                Assert.That(await child.ReadLineAsync(cts.Token), Is.EqualTo("ready"));
            }

            await File.WriteAllTextAsync(barrier, "go", cts.Token);
            var answers = new List<string>();
            foreach (var child in children)
            {
                answers.Add(await child.ReadLineAsync(cts.Token));
            }

            var winners = Enumerable.Range(0, Claimers).Where(i => answers[i] == "claimed").ToList();
            Assert.That(winners, Has.Count.EqualTo(1), string.Join(", ", answers));
            Assert.That(answers.Where(a => a != "claimed"), Is.All.EqualTo($"refused runner-{winners[0]}"));
            var record = await _registry.GetTaskAsync(new TaskKey("spec", "contested"), CancellationToken.None);
            Assert.That((record!.State, record.RunnerId), Is.EqualTo((TaskState.Running, $"runner-{winners[0]}")));
            foreach (var child in children)
            {
                await child.FinishAsync(cts.Token);
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
    }

    private Task RegisterAsync(string runnerId, int processId, DateTimeOffset startedAt) =>
        _registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, Task1, Environment.MachineName, processId, startedAt), CancellationToken.None);
}
