// Runs one coding task end to end: a slot from the repository, the agent, the tests, a commit on a task branch,
// the push, the artifacts and the registry entry, all under one root folder.
// Usage: BasicRunnerUsage <repository URL or path> <agent command> [root folder]
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: BasicRunnerUsage <repository> <agent-command> [root-folder]");
    return 2;
}

var services = new ServiceCollection();
services.AddAgentRunner(runner => runner.MainBranch = "main")
    .UseFileSystem(files =>
    {
        files.RootPath = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "necrocode");
        files.PoolSize = 2; // the pool adds up to two slots by itself, each started from the repository below
    })
    .UseGit(git => git.Origin = args[0])
    .UseCommandAgent(agent => agent.Command = args[1]); // any CLI agent; the prompt arrives on stdin

await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<IAgentRunner>();

var task = new TaskContext
{
    TaskId = "1",
    SpecName = "greeting",
    Title = "Greet by name",
    Description = "greet.sh takes a name as its first argument and prints 'Hello, <name>!'.",
    AcceptanceCriteria = ["sh greet.sh Ada prints 'Hello, Ada!'"],
    TestCommands = ["sh test.sh"],
};

RunnerResult result = await runner.RunAsync(task, CancellationToken.None);
Console.WriteLine($"{result.Outcome}: branch {result.Branch} at {result.CommitId}");
return result.Outcome == RunOutcome.Succeeded ? 0 : 1;
