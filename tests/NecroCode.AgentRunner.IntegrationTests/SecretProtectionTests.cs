using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
public sealed class SecretProtectionTests
{
    private const string Secret = "it-secret-Zq81LmVx40TpRw";

    private static ServiceProvider Compose(Sandbox sandbox)
    {
        var secrets = Path.Combine(sandbox.Root, "secrets");
        Sandbox.Write(secrets, "api-key", Secret);
        return RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction), new Dictionary<string, string?>
        {
            ["NecroCode:Credentials:SecretDirectory"] = secrets,
            ["NecroCode:Credentials:Secrets:0"] = "api-key",
            ["NecroCode:Runner:MaxFixAttempts"] = "0",
        });
    }

    [Test]
    public async Task RunAsync_TestCommandWritesSecretIntoFile_RefusedNothingPushedMaskedDiffKept()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = Compose(sandbox);
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
}
