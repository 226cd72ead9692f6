using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>How the host runs tasks through its execution environment: resume only where the environment can.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task Resume_DockerMode_ExitCode2SaysResumeRunsInLocalModeOnlyAndNothingRuns()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["resume", "--task", task, .. RunArguments(sandbox, agent, "--set", "NecroCode:Execution:Mode=docker")]);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("resume runs in local mode only; the execution mode is docker."));
            Assert.That(branches, Is.Empty);
        });
    }
}
