using NecroCode.AgentRunner.Git.Tests;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>
/// Full runs of the real <c>necrocode-runner</c> process in which the stand-in agent, the test command and origin's
/// hook print a canary git token and API key in every encoding, also split over writes. The runner reads both
/// through its own credential settings (environment variables or a secret-mount folder) and pushes over HTTP to a
/// smart-HTTP origin that takes the canary token as its password. Afterwards no byte the run left behind — files
/// under the sandbox (artifacts, run log, registry, journal and state files, work folder, slot), the host's stdout
/// and stderr, every object in origin's and in the slot's object store — may hold either canary in any encoding.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CanaryCliTests
{
    private const string HttpUser = "x-access-token";

    [Test]
    [Combinatorial]
    public async Task Run_CanariesPrintedInEveryEncoding_NoEncodingAnywhere([Values] CanaryScenario scenario, [Values] CanarySource source)
    {
        using var outside = new TempFolder("necrocode-canary-cli-");
        using var sandbox = await Sandbox.CreateAsync();
        var leak = outside.Combine("leak.sh");
        await File.WriteAllTextAsync(leak, Canaries.LeakScript());
        var agent = outside.Combine("agent.sh");
        await File.WriteAllTextAsync(agent, $"#!/bin/sh\ncat > /dev/null\nsh {leak} agent\n{AgentBody(scenario)}\n");
        if (scenario == CanaryScenario.PushFails)
        {
            RefusePushes(sandbox, leak);
        }

        await using var origin = await GitHttpServer.StartAsync(sandbox.Root, HttpUser, Canaries.GitToken);
        await Shell.GitAsync(sandbox.Slot(), "remote", "set-url", "origin", origin.UrlOf("origin.git"));
        var taskFile = outside.Combine("task.json");
        var task = RunnerFactory.Task("1", TestCommands(scenario, leak)) with
        {
            Timeout = scenario == CanaryScenario.Timeout ? TimeSpan.FromSeconds(20) : TaskContext.DefaultTimeout,
        };
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(task));

        var output = await CliHost.RunAsync(sandbox.Root, Environment(source), [.. Arguments(sandbox, taskFile, agent), .. Credentials(source, outside.Path)]);

        var scanner = new CanaryScanner();
        scanner.ScanText("the host's stdout", output.StandardOutput);
        scanner.ScanText("the host's stderr", output.StandardError);
        scanner.ScanFolder(sandbox.Root);
        await scanner.ScanGitObjectsAsync(sandbox.Origin);
        await scanner.ScanGitObjectsAsync(sandbox.Slot());
        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        var everything = string.Join('\n', sandbox.AllFiles().Select(f => File.ReadAllText(f)));
        Assert.Multiple(() =>
        {
            Assert.That(scanner.Findings, Is.Empty);
            Assert.That(scanner.ScannedFiles, Is.GreaterThan(10));
            Assert.That(everything, Does.Contain("leak-start agent"), "the agent's output was recorded");
            Assert.That(output.ExitCode, scenario == CanaryScenario.Success ? Is.Zero : Is.Not.Zero, output.StandardError);
            Assert.That(branches, scenario == CanaryScenario.Success ? Is.Not.Empty : Is.Empty);
            Assert.That(origin.Requests, Is.Not.Empty, "origin was reached over HTTP with the canary token");
            Assert.That(origin.Requests, Has.None.Contains(" 401"), "the runner authenticated with the canary token");
            Assert.That(output.StandardOutput + output.StandardError, Does.Contain(Expected(scenario)));
        });
    }

    private static string[] Arguments(Sandbox sandbox, string taskFile, string agent) =>
    [
        "run", "--task", taskFile, "--root", sandbox.Root,
        "--agent-command", "/bin/sh", "--agent-arg", agent,
        "--set", "NecroCode:Agent:PromptMode=Stdin",
        "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        "--set", "NecroCode:Runner:MaxFixAttempts=0",
        "--set", "NecroCode:Git:RetryBaseDelay=00:00:00.050",
        "--set", "NecroCode:Git:PushAttempts=2",
        "--set", "NecroCode:Processes:InterruptGracePeriod=00:00:01",
        "--set", "NecroCode:Processes:TerminateGracePeriod=00:00:01",
        "--set", "NecroCode:Agent:PassEnvironment:0=NECROCODE_GIT_TOKEN",
        "--set", "NecroCode:Agent:PassEnvironment:1=NECROCODE_API_KEY",
        "--set", "NecroCode:Credentials:Secrets:0=git-token",
        "--set", "NecroCode:Credentials:Secrets:1=api-key",
        "--set", "NecroCode:Logging:Level=Trace",
    ];

    /// <summary>The environment source sets the variables; the folder source makes sure they are absent.</summary>
    private static Dictionary<string, string?> Environment(CanarySource source) => new()
    {
        ["NECROCODE_GIT_TOKEN"] = source == CanarySource.Environment ? Canaries.GitToken : null,
        ["NECROCODE_API_KEY"] = source == CanarySource.Environment ? Canaries.ApiKey : null,
    };

    /// <summary>The folder source writes a secret-mount folder and points the credentials and git at it.</summary>
    private static string[] Credentials(CanarySource source, string outside)
    {
        if (source == CanarySource.Environment)
        {
            return [];
        }

        var folder = Path.Combine(outside, "secrets");
        Directory.CreateDirectory(folder);
        foreach (var (name, value) in Canaries.ByName)
        {
            File.WriteAllText(Path.Combine(folder, name), value + "\n");
        }

        return
        [
            "--set", $"NecroCode:Credentials:SecretDirectory={folder}",
            "--set", "NecroCode:Credentials:Order:0=SecretFile",
            "--set", $"NecroCode:Git:TokenFile={Path.Combine(folder, "git-token")}",
        ];
    }

    private static string[] TestCommands(CanaryScenario scenario, string leak) => scenario == CanaryScenario.TestWritesSecret
        ? [$"sh {leak} tests && sh test.sh", $"printf 'key\\000%s\\n' '{Canaries.ApiKey}' > leak.bin"]
        : [$"sh {leak} tests && sh test.sh"];

    private static string AgentBody(CanaryScenario scenario) => scenario switch
    {
        CanaryScenario.TestsFail => StandInAgents.BreaksTheTests,
        CanaryScenario.AgentFails => "exit 7",
        CanaryScenario.Timeout => "sleep 300",
        CanaryScenario.CommitsSecret => StandInAgents.ImplementsSubtraction + $"\nprintf 'API_KEY=%s\\n' '{Canaries.ApiKey}' > deploy.env",
        _ => StandInAgents.ImplementsSubtraction,
    };

    private static string Expected(CanaryScenario scenario) => scenario switch
    {
        CanaryScenario.Success => nameof(RunOutcome.Succeeded),
        CanaryScenario.TestsFail => nameof(RunOutcome.TestsFailed),
        CanaryScenario.AgentFails => nameof(RunOutcome.AgentFailed),
        CanaryScenario.PushFails => nameof(RunOutcome.PushFailed),
        CanaryScenario.Timeout => nameof(RunOutcome.TimedOut),
        _ => nameof(RunOutcome.Refused),
    };

    private static void RefusePushes(Sandbox sandbox, string leak)
    {
        var hook = Path.Combine(sandbox.Origin, "hooks", "pre-receive");
        File.WriteAllText(hook, $"#!/bin/sh\nsh {leak} hook >&2\necho 'origin: pushes are closed' >&2\nexit 1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
