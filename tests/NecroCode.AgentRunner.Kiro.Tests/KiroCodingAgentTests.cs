using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kiro.Tests;

[TestFixture]
[Category("Integration")]
public sealed partial class KiroCodingAgentTests
{
    private string _root = "";
    private string _workspace = "";
    private string _argsLog = "";

    private static string StandIn => Path.Combine(TestContext.CurrentContext.TestDirectory, "StandIn", "kiro-cli");

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("necrocode-kiro-").FullName;
        _workspace = Directory.CreateDirectory(Path.Combine(_root, "ws")).FullName;
        File.WriteAllText(Path.Combine(_workspace, "README.md"), "readme\n");
        _argsLog = Path.Combine(_root, "args.log");
        File.SetUnixFileMode(StandIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable("KIRO_STANDIN_MODE", null);
        Environment.SetEnvironmentVariable("KIRO_STANDIN_LOG", null);
        Environment.SetEnvironmentVariable("NECROCODE_TEST_KIRO_KEY", null);
        Directory.Delete(_root, recursive: true);
    }

    private (KiroCodingAgent Agent, SecretMasker Masker) Create(string mode, Action<KiroOptions>? configure = null)
    {
        Environment.SetEnvironmentVariable("KIRO_STANDIN_MODE", mode);
        Environment.SetEnvironmentVariable("KIRO_STANDIN_LOG", _argsLog);
        var options = new KiroOptions { Command = StandIn, ApiKeyVariable = "NECROCODE_TEST_KIRO_KEY" };
        options.PassEnvironment.Add("KIRO_STANDIN_MODE");
        options.PassEnvironment.Add("KIRO_STANDIN_LOG");
        configure?.Invoke(options);
        var masker = new SecretMasker(Options.Create(new SecretMaskerOptions()), NullLogger<SecretMasker>.Instance);
        var processes = new ProcessRunner(Options.Create(new ProcessRunnerOptions { InterruptGracePeriod = TimeSpan.FromSeconds(1), TerminateGracePeriod = TimeSpan.FromSeconds(1) }), TimeProvider.System, NullLogger<ProcessRunner>.Instance, masker);
        return (new KiroCodingAgent(processes, masker, Options.Create(options)), masker);
    }

    private AgentRequest Request(RecordingEventSink events, string prompt = "Implement task 1: add two numbers") => new()
    {
        Task = new TaskContext { TaskId = "1", SpecName = "calc", Title = "Add" },
        WorkspacePath = _workspace,
        Prompt = prompt,
        Events = events,
    };

    private string[] RecordedArguments() => File.ReadAllText(_argsLog).TrimEnd('\0').Split('\0');

    [Test]
    public async Task ImplementAsync_Success_EditsWorkspaceAndSucceeds()
    {
        var (agent, _) = Create("success");
        var events = new RecordingEventSink();

        var result = await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(File.ReadAllText(Path.Combine(_workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Does.Contain("> Done"));
        });
    }

    [Test]
    public async Task ImplementAsync_DefaultOptions_HeadlessCommandLineWithPromptAsOneArgument()
    {
        var (agent, _) = Create("success");
        var prompt = "line one\nline 'two' with $(not a shell) and \"quotes\"";

        await agent.ImplementAsync(Request(new RecordingEventSink(), prompt), CancellationToken.None);

        Assert.That(RecordedArguments(), Is.EqualTo(new[] { "chat", "--no-interactive", "--trust-all-tools", prompt }));
    }

    [Test]
    public async Task ImplementAsync_TrustedToolsAgentAndModel_PassedAsFlags()
    {
        var (agent, _) = Create("success", o =>
        {
            o.TrustAllTools = false;
            o.TrustedTools.Add("fs_read");
            o.TrustedTools.Add("fs_write");
            o.Agent = "backend";
            o.Model = "claude-sonnet";
        });

        await agent.ImplementAsync(Request(new RecordingEventSink(), "p"), CancellationToken.None);

        Assert.That(RecordedArguments(), Is.EqualTo(new[] { "chat", "--no-interactive", "--trust-tools=fs_read,fs_write", "--agent", "backend", "--model", "claude-sonnet", "p" }));
    }

    [Test]
    public async Task ImplementAsync_ApiKey_PassedAsKiroApiKeyAndMaskedInOutput()
    {
        Environment.SetEnvironmentVariable("NECROCODE_TEST_KIRO_KEY", "kiro-canary-0123456789");
        var (agent, _) = Create("success");
        var events = new RecordingEventSink();

        await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(events.Lines, Does.Contain("key seen: ***"));
            Assert.That(string.Join("\n", events.Lines), Does.Not.Contain("kiro-canary"));
        });
    }

    [Test]
    public async Task ImplementAsync_Environment_OnlyConfiguredVariablesReachKiro()
    {
        Environment.SetEnvironmentVariable("NECROCODE_TEST_KIRO_KEY", "kiro-canary-0123456789");
        Environment.SetEnvironmentVariable("NECROCODE_TEST_UNRELATED", "should-not-pass");
        try
        {
            var (agent, _) = Create("env");

            await agent.ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

            var env = File.ReadAllText(Path.Combine(_workspace, "env.txt"));
            Assert.Multiple(() =>
            {
                Assert.That(env, Does.Contain("KIRO_API_KEY=kiro-canary-0123456789"));
                Assert.That(env, Does.Not.Contain("NECROCODE_TEST_UNRELATED"));
                Assert.That(env, Does.Not.Contain("NECROCODE_TEST_KIRO_KEY"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("NECROCODE_TEST_UNRELATED", null);
        }
    }

    [TestCase("fail", 1, "exit code 1")]
    [TestCase("mcp", 3, "MCP server")]
    public async Task ImplementAsync_ErrorExit_FailedWithClearReason(string mode, int exitCode, string reason)
    {
        var (agent, _) = Create(mode);

        var result = await agent.ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ExitCode, Is.EqualTo(exitCode));
            Assert.That(result.Error, Does.Contain(reason));
        });
    }

    [Test]
    public async Task ImplementAsync_AgentNotFound_NamesTheAgent()
    {
        var (agent, _) = Create("success", o => o.Agent = "missing-agent");

        var result = await agent.ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(KiroDescription.ExitAgentNotFound));
            Assert.That(result.Error, Does.Contain("missing-agent"));
        });
    }

    [Test]
    public async Task ImplementAsync_AnsiOutput_StrippedFromRecordedLines()
    {
        var (agent, _) = Create("ansi");
        var events = new RecordingEventSink();

        await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(events.Lines, Does.Contain("> Thinking"));
            Assert.That(events.Lines.Any(l => l.Contains('\u001b', StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task ImplementAsync_ReadsStdin_StdinIsClosed()
    {
        var (agent, _) = Create("stdin");
        var events = new RecordingEventSink();

        // Were stdin left open the stand-in would wait for input forever; the guard turns that into a failure.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await agent.ImplementAsync(Request(events), guard.Token);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(events.Lines, Does.Contain("stdin closed"));
        });
    }

    [Test]
    public async Task ImplementAsync_Hangs_StoppedAtTimeout()
    {
        var (agent, _) = Create("hang", o => o.Timeout = TimeSpan.FromSeconds(1));
        var events = new RecordingEventSink();

        var result = await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain("timeout"));
            Assert.That(events.Lines, Does.Contain("stdin closed"));
        });
    }

    [Test]
    public async Task ImplementAsync_NothingToDo_SucceedsAndLeavesWorkspaceAlone()
    {
        var (agent, _) = Create("noop");
        var events = new RecordingEventSink();

        var result = await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(events.Lines, Does.Contain("> Nothing to do"));
            Assert.That(Directory.GetFileSystemEntries(_workspace).Select(Path.GetFileName), Is.EqualTo(new[] { "README.md" }));
            Assert.That(File.ReadAllText(Path.Combine(_workspace, "README.md")), Is.EqualTo("readme\n"));
        });
    }

    [Test]
    public async Task ImplementAsync_PromptStartingWithDash_IsNotReadAsAnOption()
    {
        var (agent, _) = Create("success");

        var result = await agent.ImplementAsync(Request(new RecordingEventSink(), "--help me"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(RecordedArguments()[^1], Is.EqualTo("\n--help me"));
        });
    }

    [Test]
    public void BuildArguments_PromptStartingWithDash_GetsALeadingLineBreak()
    {
        var (agent, _) = Create("success");

        var arguments = ((KiroDescription)agent.Description).BuildArguments("-v");

        Assert.That(arguments[^1], Is.EqualTo("\n-v"));
    }

    [Test]
    public async Task ImplementAsync_MissingExecutable_FailsWithInstallHint()
    {
        var (agent, _) = Create("success", o => o.Command = Path.Combine(_root, "no-such-kiro"));

        var result = await agent.ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain("could not be started"));
        });
    }

    [Test]
    public void Validate_NarrowTrustWithoutTools_Fails()
    {
        var result = new KiroOptionsConsistencyValidator().Validate(null, new KiroOptions { TrustAllTools = false });

        Assert.That(result.Failed, Is.True);
    }

    [Test]
    public void Validate_EmptyCommand_Fails()
    {
        var result = new KiroOptionsValidator().Validate(null, new KiroOptions { Command = "" });

        Assert.That(result.Failed, Is.True);
    }
}
