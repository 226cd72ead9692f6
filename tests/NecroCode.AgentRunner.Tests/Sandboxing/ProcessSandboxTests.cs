using System.Net;
using System.Net.Sockets;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

/// <summary>Real processes under each mechanism: every escape is refused by the kernel, normal work goes on.</summary>
[TestFixture(SandboxMode.Landlock)]
[TestFixture(SandboxMode.Bubblewrap)]
[Category("Integration")]
[NonParallelizable]
public sealed class ProcessSandboxTests(SandboxMode mode)
{
    private SandboxFixture _fixture = null!;

    [SetUp]
    public void SetUp()
    {
        SandboxFixture.RequireMechanism(mode);
        _fixture = new SandboxFixture(mode);
    }

    [TearDown]
    public void TearDown() => _fixture?.Dispose();

    [Test]
    public async Task ParentFolderWrite_IsRefusedAndCounted()
    {
        var sink = new RecordingEventSink();
        using var usage = ProcessUsageScope.Begin();

        var result = await _fixture.RunAsync("echo escaped > ../escaped.txt", sink);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(_fixture.Outside, "escaped.txt")), Is.False);
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(usage.SandboxRefusals, Is.EqualTo(1));
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.StartsWith("The sandbox (" + Name + ") refused 1 operation(s)"));
        });
    }

    [Test]
    public async Task AbsolutePathAndHostTemporaryFolderWrites_AreRefused()
    {
        var hostTemp = Path.Combine("/tmp", "necrocode-escape-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await _fixture.RunAsync($"echo a > '{_fixture.Outside}/absolute.txt'; echo b > '{hostTemp}'; mkdir '{_fixture.Outside}/made'; exit 0");

            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(Path.Combine(_fixture.Outside, "absolute.txt")), Is.False);
                Assert.That(File.Exists(hostTemp), Is.False);
                Assert.That(Directory.Exists(Path.Combine(_fixture.Outside, "made")), Is.False);
                Assert.That(result.StandardError, Does.Contain("Permission denied").Or.Contain("Read-only file system"));
            });
        }
        finally
        {
            File.Delete(hostTemp);
        }
    }

    [Test]
    public async Task RunnerStateAndSecrets_CanBeNeitherReadNorWritten()
    {
        var registry = Path.Combine(_fixture.State, "registry.json");
        var result = await _fixture.RunAsync(
            $"cat '{registry}'; cat '{_fixture.Secrets}/token'; ls '{_fixture.Secrets}'; echo tampered > '{registry}'; echo planted > '{_fixture.Secrets}/planted'; exit 0");

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutput, Does.Not.Contain(SandboxFixture.RegistryText).And.Not.Contain(SandboxFixture.SecretValue).And.Not.Contain("token"));
            Assert.That(File.ReadAllText(registry), Is.EqualTo(SandboxFixture.RegistryText));
            Assert.That(File.Exists(Path.Combine(_fixture.Secrets, "planted")), Is.False);
        });
    }

    [Test]
    public async Task AnotherConfinedProcessesPrivateFolder_CanBeNeitherReadNorListed()
    {
        // Arrange: a confined process that leaves a mark in its private folder and stays until told to go.
        var first = _fixture.RunAsync("echo \"$TMPDIR\" > first-tmpdir.txt; echo other-run-secret > \"$TMPDIR/mark\"; while [ ! -e go ]; do sleep 0.05; done");
        var tmpdirFile = Path.Combine(_fixture.Workspace, "first-tmpdir.txt");
        for (var i = 0; i < 600 && !(File.Exists(tmpdirFile) && File.ReadAllText(tmpdirFile).EndsWith('\n')); i++)
        {
            await Task.Delay(50);
        }

        var folder = File.ReadAllText(tmpdirFile).Trim();

        // Act: a second confined process reads the first one's folder and lists their common parent.
        var second = await _fixture.RunAsync($"cat '{folder}/mark'; ls '{Path.GetDirectoryName(folder)}'; echo \"$TMPDIR\"; exit 0");
        var mark = File.ReadAllText(Path.Combine(folder, "mark")).Trim();
        await File.WriteAllTextAsync(Path.Combine(_fixture.Workspace, "go"), "");
        var firstResult = await first;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(firstResult.ExitCode, Is.Zero, firstResult.StandardError);
            Assert.That(mark, Is.EqualTo("other-run-secret"), "the first process wrote its own folder");
            Assert.That(second.StandardOutput, Does.Not.Contain("other-run-secret").And.Not.Contain(Path.GetFileName(folder)));
            Assert.That(second.StandardOutput, Does.Contain(ProcessSandbox.PrivateFolders), "the second one has a private folder of its own there");
        });
    }

    [Test]
    public async Task SymlinkCreatedThenFollowed_IsRefused()
    {
        var result = await _fixture.RunAsync($"ln -s '{_fixture.Outside}' out && echo via > out/via-link.txt; ln -s '{_fixture.Secrets}/token' secret-link && cat secret-link; exit 0");

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(_fixture.Outside, "via-link.txt")), Is.False);
            Assert.That(result.StandardOutput, Does.Not.Contain(SandboxFixture.SecretValue));
        });
    }

    [Test]
    public async Task DoubleForkedChild_IsConfinedToo()
    {
        // The grandchild leaves the tree (a new session) and writes after its parent exited; the script waits for its mark.
        var result = await _fixture.RunAsync(
            "setsid sh -c 'sleep 0.1; echo daemon > ../daemon.txt; touch daemon-done' </dev/null >/dev/null 2>&1 & " +
            "i=0; while [ ! -e daemon-done ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(_fixture.Workspace, "daemon-done")), Is.True, "the grandchild ran and could write inside");
            Assert.That(File.Exists(Path.Combine(_fixture.Outside, "daemon.txt")), Is.False);
        });
    }

    [Test]
    public async Task NormalTools_WorkInsideTheWorkspaceAndPrivateTemporaryFolder()
    {
        File.WriteAllText(Path.Combine(_fixture.Workspace, "Makefile"), "all:\n\techo built > built.txt\n");
        var result = await _fixture.RunAsync(
            "set -e; git init -q . && git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m init; " +
            "make -s; python3 -c \"open('py.txt', 'w').write('ok')\"; dotnet --version > dotnet.txt; " +
            "echo t > \"$TMPDIR/scratch\"; cat \"$TMPDIR/scratch\" > tmp.txt; echo \"$HOME\" > home.txt; mkdir -p sub/dir && mv built.txt sub/dir/");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(Directory.Exists(Path.Combine(_fixture.Workspace, ".git")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(_fixture.Workspace, "sub", "dir", "built.txt")).Trim(), Is.EqualTo("built"));
            Assert.That(File.ReadAllText(Path.Combine(_fixture.Workspace, "py.txt")), Is.EqualTo("ok"));
            Assert.That(File.ReadAllText(Path.Combine(_fixture.Workspace, "dotnet.txt")), Does.Match(@"^\d+\.\d+"));
            Assert.That(File.ReadAllText(Path.Combine(_fixture.Workspace, "tmp.txt")).Trim(), Is.EqualTo("t"));
            Assert.That(File.ReadAllText(Path.Combine(_fixture.Workspace, "home.txt")).Trim(), Does.Contain("necrocode-sandbox-"));
        });
    }

    [Test]
    public async Task NetworkNone_RefusesConnectionToALocalServer()
    {
        SandboxFixture.RequireMechanism(mode, SandboxNetwork.None);
        using var fixture = new SandboxFixture(mode, o => o.Network = SandboxNetwork.None);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await fixture.RunAsync($"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5); print('connected')\"");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.StandardOutput, Does.Not.Contain("connected"));
            Assert.That(listener.Pending(), Is.False);
        });
    }

    [Test]
    public async Task ConfinedProcess_SaysHowItIsConfinedInTheRunEvents()
    {
        var events = new RecordingEventSink();

        await _fixture.RunAsync("true", events);

        var applied = events.Events.OfType<SandboxApplied>().Single();
        Assert.That((applied.Step, applied.Mechanism, applied.Network, applied.Note), Is.EqualTo(("sandboxed", Name, "any", (string?)null)));
    }

    [Test]
    public async Task NetworkAny_ReachesALocalServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await _fixture.RunAsync($"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5); print('connected')\"");

        Assert.That(result.StandardOutput, Does.Contain("connected"), result.StandardError);
    }

    private string Name => mode == SandboxMode.Landlock ? "landlock" : "bubblewrap";
}
