// Runs one coding task under a playbook of our own (playbooks/shell-task.yaml): the built-in pipeline plus a syntax
// check after the agent, a smoke run after the tests, and a push the task can turn off.
// Usage: CustomPlaybook <repository URL or path> <agent command> <root folder> [--dry-run]
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: CustomPlaybook <repository> <agent-command> <root-folder> [--dry-run]");
    return 2;
}

var services = new ServiceCollection();
services.AddAgentRunner()
    .UseFileSystem(files =>
    {
        files.RootPath = args[2];
        files.PoolSize = 1;
    })
    .UseGit(git => git.Origin = args[0])
    .UseCommandAgent(agent => agent.Command = args[1]);
// To use the playbook for every task instead of per task: AddAgentRunner(runner => runner.PlaybookPath = …).

await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<IAgentRunner>();

var task = new TaskContext
{
    TaskId = "1",
    SpecName = "greeting",
    Title = "Greet by name",
    Description = "greet.sh takes a name as its first argument and prints 'Hello, <name>!'.",
    TestCommands = ["sh test.sh"],
    // An absolute path: a relative one is resolved against the current directory, not the program's folder.
    PlaybookPath = Path.Combine(AppContext.BaseDirectory, "playbooks", "shell-task.yaml"),
    Metadata = new Dictionary<string, string> { ["dry-run"] = args.Contains("--dry-run") ? "true" : "false" },
};

// CheckAsync reads and validates the playbook without touching anything: every problem of the YAML is reported at
// once (file, line and column), before a slot is taken. It also shows the steps the run will take.
TaskPlan plan;
try
{
    plan = await runner.CheckAsync(task, CancellationToken.None);
}
catch (AgentRunnerException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

Console.WriteLine($"Playbook {plan.Playbook}: {string.Join(" > ", plan.Steps)}");

var result = await runner.RunAsync(task, CancellationToken.None);
foreach (var step in result.Steps)
{
    Console.WriteLine($"  {step.Name}: {step.Outcome}{(step.Message is null ? "" : " (" + step.Message + ")")}");
}

Console.WriteLine($"{result.Outcome}: branch {result.Branch}, pushed: {result.Push?.Succeeded ?? false}");
return result.Outcome == RunOutcome.Succeeded ? 0 : 1;
