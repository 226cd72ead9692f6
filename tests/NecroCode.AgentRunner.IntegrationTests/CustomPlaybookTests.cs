using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>samples/CustomPlaybook runs a real task under its own playbook: extra steps, and a push a task turns off.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CustomPlaybookTests
{
    [Test]
    public async Task Program_RunsThePlaybook_ItsStepsRunAndTheBranchIsPushed()
    {
        using var folder = new TempFolder("necrocode-custom-playbook-");
        var repository = await GreetingRepository.CreateAsync(folder);

        var output = await RunAsync(folder, repository);

        Assert.Multiple(async () =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Playbook shell-task: ").And.Contain("implement > syntax-check > test > smoke > commit > push"));
            Assert.That(output.StandardOutput, Does.Contain("syntax-check: Succeeded").And.Contain("smoke: Succeeded"));
            Assert.That(output.StandardOutput, Does.Contain("pushed: True"));
            Assert.That(await Shell.GitAsync(repository.Origin, "show", "feature/task-greeting-1:greet.sh"), Does.Contain(GreetingRepository.FixedGreeting));
        });
    }

    [Test]
    public async Task Program_DryRun_CommitsButTheConditionalPushIsSkipped()
    {
        using var folder = new TempFolder("necrocode-custom-playbook-");
        var repository = await GreetingRepository.CreateAsync(folder);

        var output = await RunAsync(folder, repository, "--dry-run");

        var branches = await Shell.GitAsync(repository.Origin, "branch", "--list");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("commit: Succeeded").And.Contain("push: Skipped"));
            Assert.That(output.StandardOutput, Does.Contain("pushed: False"));
            Assert.That(branches, Does.Not.Contain("feature/task-greeting-1"));
        });
    }

    private static Task<Shell.Output> RunAsync(TempFolder folder, GreetingRepository repository, params string[] options) =>
        Shell.RunAsync("dotnet", folder.Path, [GreetingRepository.ProgramPath("CustomPlaybook"), repository.Origin, repository.Agent, folder.CreateFolder("root"), .. options], timeout: TimeSpan.FromMinutes(5));
}
