using NecroCode.AgentRunner.Sandboxing;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

[TestFixture]
[Category("Integration")]
public sealed class SandboxModeTests
{
    [Test]
    public async Task ModeOff_LeavesTheProcessUnconfined()
    {
        using var fixture = new SandboxFixture(SandboxMode.Off);
        var events = new NecroCode.AgentRunner.Testing.RecordingEventSink();

        var result = await fixture.RunAsync("echo escaped > ../escaped.txt", events);

        var applied = events.Events.OfType<SandboxApplied>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(fixture.Outside, "escaped.txt")), Is.True);
            Assert.That((applied.Mechanism, applied.Note), Is.EqualTo(("none", "NecroCode:Sandbox:Mode is Off")));
        });
    }

    [Test]
    public void MissingBubblewrap_RefusesToStartAndSaysWhy()
    {
        using var fixture = new SandboxFixture(SandboxMode.Bubblewrap, o => o.Bubblewrap = "/nonexistent/bwrap");

        var error = Assert.ThrowsAsync<ProcessStartException>(() => fixture.RunAsync("echo never > ran.txt"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("bubblewrap").And.Contain("NecroCode:Sandbox:Mode"));
            Assert.That(File.Exists(Path.Combine(fixture.Workspace, "ran.txt")), Is.False);
        });
    }

    [Test]
    public async Task ModeAuto_PrefersLandlock()
    {
        SandboxFixture.RequireMechanism(SandboxMode.Landlock);
        using var fixture = new SandboxFixture(SandboxMode.Auto);
        var sink = new NecroCode.AgentRunner.Testing.RecordingEventSink();

        var result = await fixture.RunAsync("echo escaped > ../escaped.txt", sink);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(fixture.Outside, "escaped.txt")), Is.False);
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.StartsWith("The sandbox (landlock) refused 1 operation(s)"));
        });
    }

    [Test]
    public async Task LandlockSpawn_LeavesTheRunnerAndLaterProcessesUnrestricted()
    {
        SandboxFixture.RequireMechanism(SandboxMode.Landlock);
        using var fixture = new SandboxFixture(SandboxMode.Landlock);
        for (var i = 0; i < 5; i++)
        {
            await fixture.RunAsync("true");
        }

        var unconfined = await fixture.Runner.RunAsync(
            new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "echo free > ../unconfined.txt"], WorkingDirectory = fixture.Workspace },
            CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => File.WriteAllText(Path.Combine(fixture.Outside, $"pool-{i}.txt"), "runner"))));

        Assert.Multiple(() =>
        {
            Assert.That(unconfined.ExitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(fixture.Outside, "unconfined.txt")), Is.True);
            Assert.That(Enumerable.Range(0, 8).All(i => File.Exists(Path.Combine(fixture.Outside, $"pool-{i}.txt"))), Is.True);
        });
    }
}
