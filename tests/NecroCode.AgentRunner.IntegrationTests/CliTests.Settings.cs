using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>Where the host's settings come from (file &lt; environment &lt; command line) and how it refuses unknown keys.</summary>
public sealed partial class CliTests
{
    private const string MisspelledKey = "NecroCode:Runner:MaxFixAtempts";

    private const string Suggestion = "did you mean NecroCode:Runner:MaxFixAttempts?";

    private static string WriteSettings(Sandbox sandbox, string json)
    {
        Sandbox.Write(sandbox.Root, "settings.json", json);
        return Path.Combine(sandbox.Root, "settings.json");
    }

    [Test]
    public async Task Run_KeyInFileAndEnvironment_EnvironmentWinsAndTheFileStillApplies()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var settings = WriteSettings(sandbox, """
            { "NecroCode": { "Runner": { "BranchTemplate": "file/{task-id}", "CommitMessageTemplate": "file: {title}" } } }
            """);
        var environment = new Dictionary<string, string?> { ["NecroCode__Runner__BranchTemplate"] = "env/{task-id}" };

        var output = await CliHost.RunAsync(sandbox.Root, environment, ["run", "--task", task, "--quiet", "--config", settings, .. RunArguments(sandbox, agent)]);

        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "--format=%(refname:short)");
        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..env/1");
        Assert.Multiple(() =>
        {
            Assert.That(output.StandardOutput, Does.Contain("Branch    env/1"));
            Assert.That(branches.Split('\n'), Is.EquivalentTo(new[] { "main", "env/1" }));
            Assert.That(log, Is.EqualTo("file: Add subtraction"));
        });
    }

    [Test]
    public async Task Run_KeyInEnvironmentAndNamedOption_CommandLineWins()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var environment = new Dictionary<string, string?>
        {
            ["NecroCode__Runner__BranchTemplate"] = "env/{task-id}",
            ["NecroCode__Runner__CommitMessageTemplate"] = "env: {title}",
        };

        var output = await CliHost.RunAsync(sandbox.Root, environment, ["run", "--task", task, "--quiet", "--branch-template", "cli/{task-id}", .. RunArguments(sandbox, agent)]);

        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "--format=%(refname:short)");
        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..cli/1");
        Assert.Multiple(() =>
        {
            Assert.That(output.StandardOutput, Does.Contain("Branch    cli/1"));
            Assert.That(branches.Split('\n'), Is.EquivalentTo(new[] { "main", "cli/1" }));
            Assert.That(log, Is.EqualTo("env: Add subtraction"));
        });
    }

    [Test]
    public async Task Run_SetAndNamedOptionForTheSameKey_SetWins()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null,
            ["run", "--task", task, "--quiet", "--set", "NecroCode:Runner:BranchTemplate=set/{task-id}", "--branch-template", "named/{task-id}", .. RunArguments(sandbox, agent)]);

        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "--format=%(refname:short)");
        Assert.Multiple(() =>
        {
            Assert.That(output.StandardOutput, Does.Contain("Branch    set/1"));
            Assert.That(branches.Split('\n'), Is.EquivalentTo(new[] { "main", "set/1" }));
        });
    }

    [TestCase("file")]
    [TestCase("environment")]
    [TestCase("command line")]
    public async Task Run_MisspelledKeyFromOneSource_ExitCode2NamingKeySourceAndNearestKey(string source)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var settings = WriteSettings(sandbox, source == "file" ? """{ "NecroCode": { "Runner": { "MaxFixAtempts": 0 } } }""" : "{}");
        var environment = new Dictionary<string, string?>();
        string[] more = ["--config", settings];
        string origin;
        switch (source)
        {
            case "file":
                origin = $"(file {settings})";
                break;
            case "environment":
                environment["NecroCode__Runner__MaxFixAtempts"] = "0";
                origin = "(environment variable NecroCode__Runner__MaxFixAtempts)";
                break;
            default:
                more = [.. more, "--set", $"{MisspelledKey}=0"];
                origin = "(command line)";
                break;
        }

        var output = await CliHost.RunAsync(sandbox.Root, environment, ["run", "--task", task, .. RunArguments(sandbox, agent, more)]);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain($"{MisspelledKey} {origin}: {Suggestion}"));
            Assert.That(output.StandardOutput, Does.Not.Contain("Outcome"));
            Assert.That(branches, Is.Empty);
            Assert.That(Directory.Exists(sandbox.RegistryPath) ? Directory.EnumerateFiles(sandbox.RegistryPath, "*", SearchOption.AllDirectories) : [], Is.Empty);
        });
    }

    [Test]
    public async Task Run_UnknownKeysInAllThreeSources_ExitCode2ListingEveryOneAtOnce()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var settings = WriteSettings(sandbox, """{ "NecroCode": { "Runner": { "MainBrnch": "trunk" }, "Gti": { "PushAttempts": 5 } } }""");
        var environment = new Dictionary<string, string?> { ["NecroCode__Telemetry__Endpoint"] = "http://localhost" };

        var output = await CliHost.RunAsync(sandbox.Root, environment,
            ["run", "--task", task, .. RunArguments(sandbox, agent, "--config", settings, "--set", $"{MisspelledKey}=0", "--set", "NecroCode:Runner:MainBranch:Name=trunk")]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain($"NecroCode:Runner:MainBrnch (file {settings}): did you mean NecroCode:Runner:MainBranch?"));
            Assert.That(output.StandardError, Does.Contain($"NecroCode:Gti:PushAttempts (file {settings}): did you mean NecroCode:Git:PushAttempts?"));
            Assert.That(output.StandardError, Does.Contain("NecroCode:Telemetry:Endpoint (environment variable NecroCode__Telemetry__Endpoint)" + Environment.NewLine));
            Assert.That(output.StandardError, Does.Contain($"{MisspelledKey} (command line): {Suggestion}"));
            Assert.That(output.StandardError, Does.Contain("NecroCode:Runner:MainBranch:Name (command line)"));
        });
    }

    [Test]
    public async Task Run_DictionaryAndListKeysOfBoundOptions_Accepted()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1", "sh test.sh", "test \"$CALC_MODE\" = strict"));
        var settings = WriteSettings(sandbox, """
            { "NecroCode": { "Tests": { "Environment": { "CALC_MODE": "strict" } }, "Git": { "ProtectedBranches": [ "production" ] } } }
            """);
        var environment = new Dictionary<string, string?> { ["NecroCode__Credentials__Environment__git-token"] = "CALC_GIT_TOKEN" };

        var output = await CliHost.RunAsync(sandbox.Root, environment,
            ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent, "--config", settings, "--set", "NecroCode:Credentials:Environment:git-token=CALC_GIT_TOKEN")]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
        });
    }

    [Test]
    public async Task Run_ValueOutOfRange_ExitCode2NamingTheSettingsPath()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null,
            ["run", "--task", task, .. RunArguments(sandbox, agent, "--set", "NecroCode:Git:PushAttempts=0")]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("NecroCode:Git:PushAttempts must be between 1 and 20"));
            Assert.That(output.StandardError, Does.Not.Contain("GitOptions.PushAttempts"));
            Assert.That(output.StandardOutput, Does.Not.Contain("Outcome"));
        });
    }
}
