using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>The canary run through the real <c>necrocode-runner</c> process: its console output is scanned too.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CanaryCliTests
{
    [TestCase(CanaryScenario.Success, 0)]
    [TestCase(CanaryScenario.PushFails, null)]
    [TestCase(CanaryScenario.AgentFails, null)]
    public async Task Run_CanariesFromEnvironmentAndFile_NoEncodingOnTheConsoleOrOnDisk(CanaryScenario scenario, int? exitCode)
    {
        var outside = Directory.CreateTempSubdirectory("necrocode-canary-cli-").FullName;
        using var sandbox = await Sandbox.CreateAsync();
        try
        {
            var leak = Path.Combine(outside, "leak.sh");
            await File.WriteAllTextAsync(leak, Canaries.LeakScript());
            var secrets = Path.Combine(outside, "secrets");
            Directory.CreateDirectory(secrets);
            await File.WriteAllTextAsync(Path.Combine(secrets, "api-key"), Canaries.ApiKey + "\n");
            var agent = Path.Combine(outside, "agent.sh");
            var body = scenario == CanaryScenario.AgentFails ? "exit 7" : StandInAgents.ImplementsSubtraction;
            await File.WriteAllTextAsync(agent, $"#!/bin/sh\ncat > /dev/null\nsh {leak} agent\n{body}\n");
            if (scenario == CanaryScenario.PushFails)
            {
                var hook = Path.Combine(sandbox.Origin, "hooks", "pre-receive");
                await File.WriteAllTextAsync(hook, $"#!/bin/sh\nsh {leak} hook >&2\nexit 1\n");
                File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var taskFile = Path.Combine(outside, "task.json");
            await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task("1", $"sh {leak} tests && sh test.sh")));
            var environment = new Dictionary<string, string?> { ["NECROCODE_GIT_TOKEN"] = Canaries.GitToken };

            var output = await CliHost.RunAsync(sandbox.Root, environment, "run", "--task", taskFile, "--root", sandbox.Root,
                "--agent-command", "/bin/sh", "--agent-arg", agent,
                "--set", "NecroCode:Agent:PromptMode=Stdin",
                "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
                "--set", "NecroCode:Runner:MaxFixAttempts=0",
                "--set", "NecroCode:Git:RetryBaseDelay=00:00:00.050",
                "--set", "NecroCode:Agent:PassEnvironment:0=NECROCODE_GIT_TOKEN",
                "--set", "NecroCode:Credentials:Secrets:0=git-token",
                "--set", "NecroCode:Credentials:Secrets:1=api-key",
                "--set", $"NecroCode:Credentials:SecretDirectory={secrets}",
                "--set", "NecroCode:Logging:Level=Trace");

            var scanner = new CanaryScanner();
            scanner.ScanText("the host's stdout", output.StandardOutput);
            scanner.ScanText("the host's stderr", output.StandardError);
            scanner.ScanFolder(sandbox.Root);
            await scanner.ScanGitObjectsAsync(sandbox.Origin);
            Assert.Multiple(() =>
            {
                Assert.That(output.StandardOutput, Does.Contain("leak-start agent"));
                Assert.That(scanner.Findings, Is.Empty);
                if (exitCode is { } code)
                {
                    Assert.That(output.ExitCode, Is.EqualTo(code), output.StandardError);
                }
                else
                {
                    Assert.That(output.ExitCode, Is.Not.Zero);
                }
            });
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
