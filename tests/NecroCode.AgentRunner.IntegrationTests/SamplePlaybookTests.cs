using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// The sample playbooks (samples/playbooks), run end to end by the runner as the host composes it: a bare origin,
/// a slot, the file registry and artifact store, a stand-in agent, and repositories of the kinds the samples are
/// written for. The build tools are <see cref="StandInTools"/>; git is the real one.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable] // the stand-in tools go first on this process's PATH
public sealed partial class SamplePlaybookTests
{
    private const string Branch = "feature/task-greeter-1";

    private static TaskContext Task(string sample, IReadOnlyDictionary<string, string> metadata, params string[] testCommands) => new()
    {
        TaskId = "1",
        SpecName = "greeter",
        Title = "Add a farewell",
        Description = "Next to the greeting, add a farewell: Goodbye, NAME!",
        AcceptanceCriteria = ["The farewell reads `Goodbye, NAME!`"],
        TestCommands = testCommands,
        PlaybookPath = Path.Combine(SourceTree.Root, "samples", "playbooks", sample),
        Metadata = metadata,
    };

    /// <summary>Each step of the run as <c>name:outcome</c>, in order, as the run's summary lists them.</summary>
    private static List<string> Steps(RunnerResult result) =>
        [.. result.Steps.Select(s => $"{s.Name}:{s.Outcome.ToString().ToLowerInvariant()}")];

    /// <summary>The commits on the origin's task branch that main lacks, and the files they change.</summary>
    private static async Task<(string[] Commits, string[] Files)> PushedAsync(Sandbox sandbox)
    {
        var commits = await Shell.GitAsync(sandbox.Origin, "rev-list", $"main..{Branch}");
        var files = await Shell.GitAsync(sandbox.Origin, "diff", "--name-only", "main", Branch);
        return (commits.Split('\n'), files.Split('\n'));
    }

    private static Task<string> OriginBranchesAsync(Sandbox sandbox) => Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");

    private static async Task<RunnerResult> RunAsync(Sandbox sandbox, string agent, TaskContext task)
    {
        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", agent), new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "0" });
        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(result.Succeeded ? TaskState.Done : TaskState.Failed), "the registry holds the run's outcome");
        return result;
    }

    private static string RunLog(RunnerResult result) =>
        File.ReadAllText(result.Artifacts.Single(a => a.Name == "run-log.jsonl").Uri!.LocalPath);

}
