using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics.CodeAnalysis;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

/// <summary>
/// Shared arrangement and behaviour tests of the preset agents, run against each agent's stand-in script
/// (Agents/Presets/StandIn) with real processes in a temp workspace.
/// </summary>
[Category("Integration")]
public abstract class PresetAgentFixture<TOptions>
    where TOptions : PresetAgentOptions, new()
{
    protected const string KeyVariable = "NECROCODE_TEST_AGENT_KEY";
    protected const string Key = "sk-test/Secret-4242-abcdef";
    private const string UnrelatedVariable = "NECROCODE_TEST_UNRELATED";

    protected string Root { get; private set; } = "";

    protected string Workspace { get; private set; } = "";

    protected string ArgsLog { get; private set; } = "";

    protected string StandInPath { get; private set; } = "";

    /// <summary>The stand-in script's file name, e.g. <c>claude</c>.</summary>
    protected abstract string StandInName { get; }

    /// <summary>Creates the agent under test and runs one attempt.</summary>
    protected abstract Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, TOptions options, AgentRequest request, CancellationToken cancellationToken);

    [SetUp]
    public void SetUpWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("necrocode-preset-").FullName;
        Workspace = Directory.CreateDirectory(Path.Combine(Root, "ws")).FullName;
        File.WriteAllText(Path.Combine(Workspace, "README.md"), "readme\n");
        ArgsLog = Path.Combine(Root, "args.log");
        var bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        StandInPath = Path.Combine(bin, StandInName);
        File.Copy(Path.Combine(FindStandInFolder(), StandInName), StandInPath);
        File.SetUnixFileMode(StandInPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [TearDown]
    public void TearDownWorkspace()
    {
        Environment.SetEnvironmentVariable(KeyVariable, null);
        Environment.SetEnvironmentVariable(UnrelatedVariable, null);
        Directory.Delete(Root, recursive: true);
    }

    protected TOptions CreateOptions(string mode, Action<TOptions>? configure = null)
    {
        var options = new TOptions { Command = StandInPath };
        options.ApiKeyVariables.Clear();
        options.ApiKeyVariables.Add(KeyVariable);
        options.Environment["STANDIN_MODE"] = mode;
        options.Environment["STANDIN_LOG"] = ArgsLog;
        configure?.Invoke(options);
        return options;
    }

    protected async Task<(AgentRunReport Report, RecordingEventSink Events)> RunAsync(string mode, Action<TOptions>? configure = null, int maxLineLength = 16 * 1024, string prompt = "Implement task 1: add two numbers")
    {
        var (processes, masker) = CreateProcessRunner(maxLineLength);
        var events = new RecordingEventSink();
        var report = await RunAgentAsync(processes, masker, CreateOptions(mode, configure), CreateRequest(events, prompt), CancellationToken.None);
        return (report, events);
    }

    internal static (ProcessRunner Processes, SecretMasker Masker) CreateProcessRunner(int maxLineLength = 16 * 1024)
    {
        var masker = new SecretMasker(Options.Create(new SecretMaskerOptions()), NullLogger<SecretMasker>.Instance);
        var processOptions = new ProcessRunnerOptions
        {
            InterruptGracePeriod = TimeSpan.FromSeconds(1),
            TerminateGracePeriod = TimeSpan.FromSeconds(1),
            MaxLineLength = maxLineLength,
        };
        return (new ProcessRunner(Options.Create(processOptions), TimeProvider.System, NullLogger<ProcessRunner>.Instance, masker), masker);
    }

    protected AgentRequest CreateRequest(RecordingEventSink events, string prompt = "Implement task 1: add two numbers") => new()
    {
        Task = new TaskContext { TaskId = "1", SpecName = "calc", Title = "Add" },
        WorkspacePath = Workspace,
        Prompt = prompt,
        Events = events,
    };

    protected string[] RecordedArguments() => File.ReadAllText(ArgsLog).TrimEnd('\0').Split('\0');

    protected string[] WorkspaceFiles() =>
        [.. Directory.GetFiles(Workspace, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Workspace, f)).Order(StringComparer.Ordinal)];

    [Test]
    public async Task RunAsync_AgentHangs_TimesOutAndFails()
    {
        var (report, _) = await RunAsync("hang", o => o.Timeout = TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.TimedOut, Is.True);
            Assert.That(report.Result.Error, Does.Contain("timeout"));
        });
    }

    [Test]
    public async Task RunAsync_NothingChanged_SucceedsAndLeavesWorkspaceAlone()
    {
        var (report, _) = await RunAsync("noop");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(WorkspaceFiles(), Is.EqualTo(new[] { "README.md" }));
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "README.md")), Is.EqualTo("readme\n"));
        });
    }

    [Test]
    public async Task RunAsync_ExitCodeOne_FailsWithItsErrorOutput()
    {
        var (report, events) = await RunAsync("fail");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.EqualTo(1));
            Assert.That(report.Result.Error, Does.Contain("exited with code 1").And.Contain("Error"));
            Assert.That(events.Events.OfType<OutputLine>().Where(l => l.Stream == OutputSource.StandardError), Is.Not.Empty);
        });
    }

    [Test]
    public async Task RunAsync_MissingExecutable_FailsNamingTheCommandAndTheSetting()
    {
        var missing = Path.Combine(Root, "bin", "no-such-agent");

        var (report, _) = await RunAsync("success", o => o.Command = missing);

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.False);
            Assert.That(report.Result.ExitCode, Is.Null);
            Assert.That(report.Result.Error, Does.Contain("could not be started").And.Contain(missing).And.Contain(typeof(TOptions).Name + ".Command"));
        });
    }

    [Test]
    public async Task RunAsync_Environment_IsExplicitWithTheKeyPassedByName()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        Environment.SetEnvironmentVariable(UnrelatedVariable, "must-not-leak");

        var (report, _) = await RunAsync("env");

        var environment = File.ReadAllLines(Path.Combine(Workspace, "env.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(environment, Does.Contain($"{KeyVariable}={Key}"));
            Assert.That(environment, Does.Contain("NECROCODE_TASK_ID=1"));
            Assert.That(environment, Does.Contain("STANDIN_MODE=env"));
            Assert.That(environment.Any(l => l.StartsWith(UnrelatedVariable + "=", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_KeyInSecretMountFolder_ReachesTheAgentOnlyThroughItsVariable()
    {
        var (secretName, variable) = new TOptions().SecretVariables.First();
        const string MountedKey = "mounted-key-5e7a9c1b3d";
        const string GitToken = "mounted-git-2f4d6b8a0c";
        var folder = Directory.CreateDirectory(Path.Combine(Root, "secrets")).FullName;
        File.WriteAllText(Path.Combine(folder, secretName), MountedKey + "\n");
        File.WriteAllText(Path.Combine(folder, "git-token"), GitToken + "\n");
        var credentialOptions = Options.Create(new CredentialOptions { SecretDirectory = folder });
        var (processes, masker) = CreateProcessRunner();
        await using var secrets = await RunCredentials.OpenAsync(new SecretFileCredentialProvider(credentialOptions), ["git-token"], [secretName], masker, null, CancellationToken.None);
        var events = new RecordingEventSink();

        var report = await RunAgentAsync(processes, masker, CreateOptions("env"), CreateRequest(events) with { Secrets = secrets }, CancellationToken.None);

        var environment = File.ReadAllLines(Path.Combine(Workspace, "env.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(environment.Where(l => l.Contains(MountedKey, StringComparison.Ordinal)), Is.EqualTo(new[] { $"{variable}={MountedKey}" }));
            Assert.That(environment.Any(l => l.Contains(GitToken, StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_SecretAndRunnerVariableForTheSameVariable_SecretWins()
    {
        var secretName = new TOptions().SecretVariables.Keys.First();
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        var (processes, masker) = CreateProcessRunner();
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal) { [secretName] = "from-the-secret-1a2b3c" };
        var options = CreateOptions("env");
        options.SecretVariables.Clear();
        options.SecretVariables[secretName] = KeyVariable;

        await RunAgentAsync(processes, masker, options, CreateRequest(new RecordingEventSink()) with { Secrets = new RunSecretsStub(secrets) }, CancellationToken.None);

        var environment = File.ReadAllLines(Path.Combine(Workspace, "env.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(environment, Does.Contain($"{KeyVariable}=from-the-secret-1a2b3c"));
            Assert.That(environment.Any(l => l.Contains(Key, StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_PromptStartingWithDash_IsNotReadAsAnOption()
    {
        await RunAsync("noop", prompt: "--help me");

        Assert.That(RecordedArguments(), Does.Contain("\n--help me"));
    }

    internal static string FindStandInFolder()
    {
        // Copied next to the tests when the project copies Agents/Presets/StandIn; otherwise found in the source tree above the output folder.
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Agents", "Presets", "StandIn");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The preset agents' stand-in scripts (Agents/Presets/StandIn) were not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
