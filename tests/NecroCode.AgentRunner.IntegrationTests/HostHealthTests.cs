using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
public sealed class HostHealthTests
{
    [Test]
    public async Task Run_WithHealthPort_ServesLivenessAndReadinessWhileRunning()
    {
        using var sandbox = await Sandbox.CreateAsync();
        Directory.CreateDirectory(sandbox.ArtifactsPath);
        var started = Path.Combine(sandbox.Probe, "agent-started");
        var agent = sandbox.Agent("agent", $"cat > /dev/null\ntouch {started}\nsleep 4\necho change > change.txt");
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task()));
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = sandbox.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        Sandbox.AllowProbe(start.Environment, sandbox.Root);
        foreach (var argument in new[]
        {
            CliHost.HostPath, "run", "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}", "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var host = Process.Start(start)!;
        var stdout = host.StandardOutput.ReadToEndAsync();
        var stderr = host.StandardError.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(started) && DateTime.UtcNow < deadline && !host.HasExited)
        {
            await Task.Delay(100);
        }

        var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
        var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
        var readyBody = await ready.Content.ReadAsStringAsync();
        await host.WaitForExitAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), readyBody);
            Assert.That(readyBody, Does.Contain("\"status\""));
            Assert.That(host.ExitCode, Is.Zero, await stdout + await stderr);
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
