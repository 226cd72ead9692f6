using System.CommandLine;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary><c>necrocode-runner run --task task.json</c>: runs one task from a file.</summary>
internal static class RunCommand
{
    public static Command Create() => Create("run", "Run one task from a task file.", resume: false);

    public static Command CreateResume() => Create("resume", "Resume a task's run that was killed half-way, from its journal, without repeating a commit, push, artifact or completion event; a fresh run when there is no journal.", resume: true);

    private static Command Create(string name, string description, bool resume)
    {
        var host = new HostOptions();
        var taskFile = new Option<FileInfo>("--task", "-t") { Description = "The task file (JSON, see the README).", Required = true };
        var resultFile = new Option<FileInfo?>("--result") { Description = "Also write the run summary as JSON to this file." };
        var command = new Command(name, description);
        command.Options.Add(taskFile);
        command.Options.Add(resultFile);
        host.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), host.ToSettings(parse));
                var file = parse.GetValue(taskFile)!;
                return await RunExecutor.ExecuteAsync(
                    configuration,
                    ct => AgentRunnerJson.ReadTaskAsync(file.FullName, ct),
                    host.GetOutputMode(parse),
                    parse.GetValue(resultFile),
                    cancellationToken,
                    resume).ConfigureAwait(false);
            }
            catch (HostConfigurationException ex)
            {
                await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
