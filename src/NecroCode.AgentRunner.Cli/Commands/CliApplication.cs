using System.CommandLine;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>The command tree of <c>necrocode-runner</c>.</summary>
internal static class CliApplication
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("necrocode-runner: runs one AI coding task end to end — workspace, agent, tests, commit, push, artifacts, report.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(RunCommand.CreateResume());
        root.Subcommands.Add(EnqueueCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(TasksCommand.Create());
        root.Subcommands.Add(SpecCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SlotsCommand.CreateSlots());
        root.Subcommands.Add(SlotsCommand.CreateRunners());
        return root;
    }
}
