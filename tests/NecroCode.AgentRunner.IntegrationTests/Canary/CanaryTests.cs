using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>
/// Full runs in which the stand-in agent, the test command and origin's hook print a canary git token and
/// API key in every encoding; afterwards no byte the run produced may hold either in any encoding.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable] // the environment variant sets variables of this process
public sealed class CanaryTests
{
    private static readonly string[] SecretNames = ["git-token", "api-key"];

    [Test]
    [Combinatorial]
    public async Task RunAsync_CanariesPrintedInEveryEncoding_NoEncodingAnywhere([Values] CanaryScenario scenario, [Values] CanarySource source)
    {
        var outside = Directory.CreateTempSubdirectory("necrocode-canary-").FullName;
        using var sandbox = await Sandbox.CreateAsync();
        try
        {
            var leak = Path.Combine(outside, "leak.sh");
            await File.WriteAllTextAsync(leak, Canaries.LeakScript());
            var secretDirectory = Provide(source, outside);
            var agent = Path.Combine(outside, "agent.sh");
            await File.WriteAllTextAsync(agent, $"#!/bin/sh\ncat > /dev/null\nsh {leak} agent\n{AgentBody(scenario)}\n");
            if (scenario == CanaryScenario.PushFails)
            {
                RefusePushes(sandbox, leak);
            }

            var progress = TextWriter.Synchronized(new StringWriter());
            await using var services = Compose(sandbox, agent, progress);
            var options = new CredentialOptions { Secrets = [.. SecretNames], SecretDirectory = secretDirectory };
            var task = RunnerFactory.Task("1", $"sh {leak} tests && sh test.sh") with
            {
                Timeout = scenario == CanaryScenario.Timeout ? TimeSpan.FromSeconds(20) : TaskContext.DefaultTimeout,
            };

            RunnerResult result;
            await using (var credentials = await CanaryCredentials.OpenAsync(services, options, CancellationToken.None))
            {
                result = await services.GetRequiredService<Orchestration.RunnerOrchestrator>().RunAsync(task, CancellationToken.None);
            }

            var scanner = new CanaryScanner();
            scanner.ScanFolder(sandbox.Root);
            await scanner.ScanGitObjectsAsync(sandbox.Origin);
            await scanner.ScanReachableGitObjectsAsync(sandbox.Slot());
            scanner.ScanText("the host's progress output", progress.ToString()!);
            scanner.ScanText("the run result", AgentRunnerJson.Serialize(result));
            var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
            var everything = string.Join('\n', sandbox.AllFiles().Select(f => File.ReadAllText(f)));
            Assert.Multiple(() =>
            {
                Assert.That(result.Outcome, Is.EqualTo(Expected(scenario)), result.Error?.Message);
                Assert.That(scanner.Findings, Is.Empty);
                Assert.That(scanner.ScannedFiles, Is.GreaterThan(10));
                Assert.That(everything, Does.Contain("leak-start agent"), "the agent's output was recorded");
                Assert.That(branches, scenario == CanaryScenario.Success ? Is.Not.Empty : Is.Empty);
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("NECROCODE_GIT_TOKEN", null);
            Environment.SetEnvironmentVariable("NECROCODE_API_KEY", null);
            Directory.Delete(outside, recursive: true);
        }
    }

    private static string? Provide(CanarySource source, string outside)
    {
        if (source == CanarySource.Environment)
        {
            Environment.SetEnvironmentVariable("NECROCODE_GIT_TOKEN", Canaries.GitToken);
            Environment.SetEnvironmentVariable("NECROCODE_API_KEY", Canaries.ApiKey);
            return null;
        }

        var folder = Path.Combine(outside, "secrets");
        Directory.CreateDirectory(folder);
        foreach (var (name, value) in Canaries.ByName)
        {
            File.WriteAllText(Path.Combine(folder, name), value + "\n");
        }

        return folder;
    }

    private static string AgentBody(CanaryScenario scenario) => scenario switch
    {
        CanaryScenario.TestsFail => StandInAgents.BreaksTheTests,
        CanaryScenario.AgentFails => "exit 7",
        CanaryScenario.Timeout => "sleep 300",
        CanaryScenario.CommitsSecret => StandInAgents.ImplementsSubtraction + $"\nprintf 'API_KEY=%s\\n' '{Canaries.ApiKey}' > deploy.env",
        _ => StandInAgents.ImplementsSubtraction,
    };

    private static RunOutcome Expected(CanaryScenario scenario) => scenario switch
    {
        CanaryScenario.Success => RunOutcome.Succeeded,
        CanaryScenario.TestsFail => RunOutcome.TestsFailed,
        CanaryScenario.AgentFails => RunOutcome.AgentFailed,
        CanaryScenario.PushFails => RunOutcome.PushFailed,
        CanaryScenario.Timeout => RunOutcome.TimedOut,
        _ => RunOutcome.Refused,
    };

    private static void RefusePushes(Sandbox sandbox, string leak)
    {
        var hook = Path.Combine(sandbox.Origin, "hooks", "pre-receive");
        File.WriteAllText(hook, $"#!/bin/sh\nsh {leak} hook >&2\necho 'origin: pushes are closed' >&2\nexit 1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Composes the runner as the command-line host does, with its progress output captured.</summary>
    private static ServiceProvider Compose(Sandbox sandbox, string agent, TextWriter progress)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["NecroCode:FileSystem:RootPath"] = sandbox.Root,
            ["NecroCode:Runner:WorkDirectory"] = sandbox.WorkPath,
            ["NecroCode:Runner:MaxFixAttempts"] = "0",
            ["NecroCode:Agent:Command"] = "/bin/sh",
            ["NecroCode:Agent:Arguments:0"] = agent,
            ["NecroCode:Agent:PromptMode"] = "Stdin",
            ["NecroCode:Agent:PassEnvironment:0"] = "NECROCODE_GIT_TOKEN",
            ["NecroCode:Agent:PassEnvironment:1"] = "NECROCODE_API_KEY",
            ["NecroCode:Git:RetryBaseDelay"] = "00:00:00.050",
            ["NecroCode:Processes:InterruptGracePeriod"] = "00:00:01",
            ["NecroCode:Processes:TerminateGracePeriod"] = "00:00:01",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = RunnerHost.BuildServices(configuration, progress, OutputMode.Progress);
        RunnerHost.ValidateOptions(services);
        return services;
    }
}
