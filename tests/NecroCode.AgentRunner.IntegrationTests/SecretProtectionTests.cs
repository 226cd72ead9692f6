using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
[NonParallelizable] // sets variables of this process
public sealed class SecretProtectionTests
{
    private const string Secret = "it-secret-Zq81LmVx40TpRw";

    private static ServiceProvider Compose(Sandbox sandbox, bool confined = true)
    {
        var secrets = Path.Combine(sandbox.Root, "secrets");
        Sandbox.Write(secrets, "api-key", Secret);
        return RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction), new Dictionary<string, string?>
        {
            ["NecroCode:Credentials:SecretDirectory"] = secrets,
            ["NecroCode:Credentials:Secrets:0"] = "api-key",
            ["NecroCode:Runner:MaxFixAttempts"] = "0",
            ["NecroCode:Sandbox:Mode"] = confined ? "Auto" : "Off",
        });
    }

    [Test]
    public async Task RunAsync_TestCommandWritesSecretIntoFile_RefusedNothingPushedMaskedDiffKept()
    {
        using var sandbox = await Sandbox.CreateAsync();
        // The sandbox hides the secret folder from the test command; this checks the commit-time check behind it.
        await using var services = Compose(sandbox, confined: false);
        var secretFile = Path.Combine(sandbox.Root, "secrets", "api-key");
        var task = RunnerFactory.Task("1", "sh test.sh", $"printf 'x\\000' > leak.bin && cat '{secretFile}' >> leak.bin");

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var diff = File.ReadAllText(record!.Artifacts.Single(a => a.Name == "diff.patch").Uri!.LocalPath);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
            Assert.That(result.Error!.Step, Is.EqualTo("commit"));
            Assert.That(result.Error.Message, Does.Contain("leak.bin").And.Not.Contain(Secret));
            Assert.That(result.CommitId, Is.Null);
            Assert.That(branches, Is.Empty);
            Assert.That(diff, Does.Contain("leak.bin").And.Not.Contain(Secret));
        });
    }

    [Test]
    public async Task RunAsync_TestCommandAndCommandStepPrintEnvironment_NoSecretVariable()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        const string gitToken = "it-git-token-Hn27Qw0PzKe5";
        var variables = new Dictionary<string, string>
        {
            [$"IT_MAPPED_KEY_{suffix}"] = Secret,
            ["NECROCODE_GIT_TOKEN"] = gitToken,
            [$"IT_CARRIER_{suffix}"] = $"Authorization: Bearer {Secret}",
            [$"IT_PLAIN_{suffix}"] = "keep-me",
        };
        var playbook = Path.Combine(sandbox.Root, "playbook.yaml");
        await File.WriteAllTextAsync(playbook, $"""
            name: print-env
            extends: default
            steps:
              - name: print-env
                after: test
                run: env > '{sandbox.Probe}/step-env.txt'
            """);
        var task = RunnerFactory.Task("1", "sh test.sh", $"env > '{sandbox.Probe}/test-env.txt'") with { PlaybookPath = playbook };
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction), new Dictionary<string, string?>
            {
                ["NecroCode:Credentials:Secrets:0"] = "api-key",
                ["NecroCode:Credentials:OptionalSecrets:0"] = "git-token",
                ["NecroCode:Credentials:Environment:api-key"] = $"IT_MAPPED_KEY_{suffix}",
            });

            var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        foreach (var file in new[] { "test-env.txt", "step-env.txt" })
        {
            var environment = File.ReadAllText(Path.Combine(sandbox.Probe, file));
            Assert.Multiple(() =>
            {
                Assert.That(environment, Does.Not.Contain(Secret).And.Not.Contain(gitToken), file);
                Assert.That(environment, Does.Not.Contain($"IT_MAPPED_KEY_{suffix}").And.Not.Contain("NECROCODE_GIT_TOKEN").And.Not.Contain($"IT_CARRIER_{suffix}"), file);
                Assert.That(environment, Does.Contain($"IT_PLAIN_{suffix}=keep-me").And.Contain("PATH="), file);
            });
        }
    }

    [Test]
    public async Task RunAsync_DiffWithoutSecrets_StoredByteIdenticalAndApplies()
    {
        using var sandbox = await Sandbox.CreateAsync();
        const string shaped = "fixture = ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        var slot = sandbox.Slot();
        Sandbox.Write(slot, "fixtures.txt", $"one\n{shaped}\nthree\n");
        await Shell.GitAsync(slot, "add", "--all");
        await Shell.GitAsync(slot, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "Fixtures");
        await Shell.GitAsync(slot, "push", "--quiet", "origin", "main");
        var baseCommit = await Shell.GitAsync(slot, "rev-parse", "HEAD");
        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction + "\nprintf 'one\\n%s\\nTHREE\\n' '" + shaped + "' > fixtures.txt"));
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var expected = await services.GetRequiredService<IWorkspaceManager>().GetDiffAsync(slot, baseCommit, CancellationToken.None);
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var stored = record!.Artifacts.Single(a => a.Name == "diff.patch").Uri!.LocalPath;
        var clone = Path.Combine(sandbox.Root, "check");
        await Shell.GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Origin, clone);
        await Shell.GitAsync(clone, "checkout", "--quiet", baseCommit);
        await Shell.GitAsync(clone, "apply", "--index", stored);
        Assert.Multiple(() =>
        {
            Assert.That(expected.Patch, Does.Contain(" " + shaped));
            Assert.That(File.ReadAllBytes(stored), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(expected.Patch)));
            Assert.That(File.ReadAllText(Path.Combine(clone, "fixtures.txt")), Is.EqualTo($"one\n{shaped}\nTHREE\n"));
        });
    }
}
