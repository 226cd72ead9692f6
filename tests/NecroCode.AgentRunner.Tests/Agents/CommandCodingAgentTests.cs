using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics.CodeAnalysis;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.Agents;

[TestFixture]
[Category("Integration")]
public sealed class CommandCodingAgentTests
{
    private const string Prompt = "Implement task 1.2\nwith 'quotes' and ü\n";
    private TempFolder _scripts = null!;
    private TempFolder _workspace = null!;

    [SetUp]
    public void SetUp()
    {
        _scripts = new TempFolder();
        _workspace = new TempFolder();
    }

    [TearDown]
    public void TearDown()
    {
        _scripts.Dispose();
        _workspace.Dispose();
    }

    private CommandCodingAgent CreateAgent(string scriptBody, Action<CommandAgentOptions>? configure = null)
    {
        var options = new CommandAgentOptions { Command = _scripts.WriteScript("agent.sh", scriptBody) };
        configure?.Invoke(options);
        return new CommandCodingAgent(ProcessRunnerTests.CreateRunner(), Options.Create(options), NullLogger<CommandCodingAgent>.Instance);
    }

    private AgentRequest Request(IRunEventSink? events = null) => new()
    {
        Task = new TaskContext { TaskId = "1.2", SpecName = "user-auth", Title = "Add login" },
        WorkspacePath = _workspace.Path,
        Prompt = Prompt,
        Events = events ?? new RecordingEventSink(),
    };

    private string Read(string name) => File.ReadAllText(_workspace.Combine(name));

    [Test]
    public async Task ImplementAsync_StdinMode_DeliversPromptOnStandardInput()
    {
        var agent = CreateAgent("cat > got.txt");

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new AgentResult(true, 0)));
            Assert.That(Read("got.txt"), Is.EqualTo(Prompt));
        });
    }

    [Test]
    public async Task ImplementAsync_FileMode_PassesPromptFileOutsideWorkspaceAndRemovesIt()
    {
        var agent = CreateAgent("cp \"$2\" got.txt; printf '%s' \"$2\" > path.txt", o =>
        {
            o.PromptMode = PromptMode.File;
            o.Arguments = ["--prompt", "{prompt-file}"];
        });

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        var path = Read("path.txt");
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(Read("got.txt"), Is.EqualTo(Prompt));
            Assert.That(path, Does.Not.StartWith(_workspace.Path));
            Assert.That(File.Exists(path), Is.False, "the prompt file is deleted afterwards");
            Assert.That(Directory.Exists(Path.GetDirectoryName(path)), Is.False);
        });
    }

    [Test]
    public async Task ImplementAsync_FileModeWithoutPlaceholder_AppendsPathAndRemovesItOnFailure()
    {
        var agent = CreateAgent("printf '%s' \"$1\" > path.txt; exit 2", o => o.PromptMode = PromptMode.File);

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(Read("path.txt"), Does.EndWith("prompt.md"));
            Assert.That(File.Exists(Read("path.txt")), Is.False);
        });
    }

    [Test]
    public async Task ImplementAsync_ArgumentMode_PassesPromptAsOneArgument()
    {
        var agent = CreateAgent("printf '%s|%s|%s|%s' \"$1\" \"$2\" \"$3\" \"$4\" > got.txt", o =>
        {
            o.PromptMode = PromptMode.Argument;
            o.Arguments = ["{task-id}", "{spec}", "{workspace}", "{prompt}"];
        });

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(Read("got.txt"), Is.EqualTo($"1.2|user-auth|{_workspace.Path}|{Prompt}"));
        });
    }

    [Test]
    public async Task ImplementAsync_NonZeroExit_FailsWithExitCodeAndLastErrorLines()
    {
        var agent = CreateAgent("echo working; echo 'model refused' >&2; exit 7");

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ExitCode, Is.EqualTo(7));
            Assert.That(result.TimedOut, Is.False);
            Assert.That(result.Error, Does.Contain("exited with code 7").And.Contain("model refused"));
        });
    }

    [Test]
    public async Task ImplementAsync_RunsPastTimeout_TimesOut()
    {
        var agent = CreateAgent("sleep 300", o => o.Timeout = TimeSpan.FromSeconds(1));

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.TimedOut, Is.True);
            Assert.That(result.Error, Does.Contain("timed out"));
        });
    }

    [Test]
    public async Task ImplementAsync_Environment_IsExplicit()
    {
        var passed = "NECRO_TEST_PASSED_" + Guid.NewGuid().ToString("N");
        var hidden = "NECRO_TEST_HIDDEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(passed, "p");
        Environment.SetEnvironmentVariable(hidden, "h");
        try
        {
            var agent = CreateAgent($"echo \"${{{passed}-}} ${{{hidden}-unset}} $GIVEN $NECROCODE_TASK_ID $NECROCODE_SPEC\" > got.txt", o =>
            {
                o.PassEnvironment = [passed];
                o.Environment = new Dictionary<string, string> { ["GIVEN"] = "g" };
            });

            await agent.ImplementAsync(Request(), CancellationToken.None);

            Assert.That(Read("got.txt"), Is.EqualTo("p unset g 1.2 user-auth\n"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(passed, null);
            Environment.SetEnvironmentVariable(hidden, null);
        }
    }

    [Test]
    public async Task ImplementAsync_SecretInMountFolder_ReachesCommandOnlyThroughTheMappedVariable()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("openai-api-key"), "mounted-openai-3c5e7a9b1d\n");
        File.WriteAllText(folder.Combine("git-token"), "mounted-git-8b6d4f2a0e\n");
        var provider = new SecretFileCredentialProvider(Options.Create(new CredentialOptions { SecretDirectory = folder.Path }));
        var masker = new SecretMasker(Options.Create(new SecretMaskerOptions()), NullLogger<SecretMasker>.Instance);
        await using var secrets = await RunCredentials.OpenAsync(provider, ["git-token", "openai-api-key"], [], masker, null, CancellationToken.None);
        var agent = CreateAgent("env > env.txt", o => o.SecretVariables = new Dictionary<string, string> { ["openai-api-key"] = "OPENAI_API_KEY" });

        var result = await agent.ImplementAsync(Request() with { Secrets = secrets }, CancellationToken.None);

        var environment = Read("env.txt").Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(environment.Where(l => l.Contains("mounted-openai", StringComparison.Ordinal)), Is.EqualTo(new[] { "OPENAI_API_KEY=mounted-openai-3c5e7a9b1d" }));
            Assert.That(environment.Any(l => l.Contains("mounted-git", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task ImplementAsync_SecretMappedToAConfiguredVariable_SecretWins()
    {
        var secrets = new RunSecretsStub("api-key", "from-secret");
        var agent = CreateAgent("printf '%s' \"$API_KEY\" > got.txt", o =>
        {
            o.Environment = new Dictionary<string, string> { ["API_KEY"] = "from-settings" };
            o.SecretVariables = new Dictionary<string, string> { ["api-key"] = "API_KEY" };
        });

        await agent.ImplementAsync(Request() with { Secrets = secrets }, CancellationToken.None);

        Assert.That(Read("got.txt"), Is.EqualTo("from-secret"));
    }

    [Test]
    public void Validate_SecretVariableWithBadName_FailsNamingIt()
    {
        var options = new CommandAgentOptions { Command = "x", SecretVariables = new Dictionary<string, string> { ["api-key"] = "API KEY" } };

        var result = new CommandAgentOptionsSecretsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("'API KEY'"));
    }

    [Test]
    public async Task ImplementAsync_Output_IsStreamedToEvents()
    {
        var sink = new RecordingEventSink();
        var agent = CreateAgent("echo step one; echo step two");

        await agent.ImplementAsync(Request(sink), CancellationToken.None);

        Assert.That(sink.Events.OfType<OutputLine>().Select(l => (l.Step, l.Text)), Is.EqualTo(new[] { ("implement", "step one"), ("implement", "step two") }));
    }

    [Test]
    public async Task ImplementAsync_MissingCommand_FailsWithReason()
    {
        var options = new CommandAgentOptions { Command = "necrocode-no-such-agent" };
        var agent = new CommandCodingAgent(ProcessRunnerTests.CreateRunner(), Options.Create(options), NullLogger<CommandCodingAgent>.Instance);

        var result = await agent.ImplementAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain("necrocode-no-such-agent"));
        });
    }
}
