using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>A whole run in local mode whose agent and test command try to write outside the workspace.</summary>
[TestFixture("Landlock")]
[TestFixture("Bubblewrap")]
[Category("Integration")]
public sealed class SandboxEscapeTests(string mode)
{
    [Test]
    public async Task RunAsync_AgentWritesBesideTheWorkspace_RefusedAndRecordedRunStillCompletes()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction + $"\necho escaped > ../escaped-by-agent.txt\necho escaped > '{sandbox.Root}/escaped-absolute.txt'\nexit 0");
        await using var services = RunnerFactory.Create(sandbox, agent, new Dictionary<string, string?> { ["NecroCode:Sandbox:Mode"] = mode });
        var task = RunnerFactory.Task("1", "sh test.sh", "echo escaped > ../escaped-by-test.txt; true");

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var runLog = File.ReadAllText(record!.Artifacts.Single(a => a.Name == "run-log.jsonl").Uri!.LocalPath);
        var implement = result.Steps.Single(s => s.Name == "implement");
        var summary = new StringWriter();
        NecroCode.AgentRunner.Cli.SummaryWriter.Write(summary, result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(File.Exists(Path.Combine(sandbox.SlotsPath, "escaped-by-agent.txt")), Is.False);
            Assert.That(File.Exists(Path.Combine(sandbox.Root, "escaped-absolute.txt")), Is.False);
            Assert.That(File.Exists(Path.Combine(sandbox.SlotsPath, "escaped-by-test.txt")), Is.False);
            // The implement step takes the baseline first: the test command's escape on the base is refused there too.
            Assert.That(implement.SandboxRefusals, Is.EqualTo(3), "two by the agent, one by the baseline's test command");
            Assert.That(result.Steps.Single(s => s.Name == "test").SandboxRefusals, Is.EqualTo(1));
            Assert.That(runLog, Does.Contain("escaped-by-agent.txt"), "the tool's own error is in the output");
            Assert.That(runLog, Does.Contain($"The sandbox ({mode.ToLowerInvariant()}) refused 2 operation(s)"));
            Assert.That(summary.ToString(), Does.Contain("Sandbox   refused 4 operation(s) outside what the processes may do (implement 3, test 1)"));
            Assert.That(SandboxLines(runLog), Is.EquivalentTo(new[] { ("baseline", mode.ToLowerInvariant()), ("implement", mode.ToLowerInvariant()), ("test", mode.ToLowerInvariant()) }), "once a run for each step, whatever its processes");
        });
    }

    private static List<(string Step, string Mechanism)> SandboxLines(string runLog) =>
        [.. runLog.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("type", out var type) && type.GetString() == "sandbox")
            .Select(e => (e.GetProperty("step").GetString()!, e.GetProperty("mechanism").GetString()!))];
}
