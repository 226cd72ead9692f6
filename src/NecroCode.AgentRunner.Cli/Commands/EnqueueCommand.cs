using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// <c>necrocode-runner enqueue task.json…</c>: adds tasks to the queue that <c>worker</c> processes take them from.
/// Every file is read and checked first (task, playbook, branch); one bad file enqueues nothing and is named.
/// </summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var host = new HostOptions();
        var files = new Argument<FileSystemInfo[]>("tasks")
        {
            Description = "Task files (JSON, see the README), or folders of *.json task files.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("enqueue", "Add tasks to the queue; the workers (necrocode-runner worker) run them, oldest first.");
        command.Arguments.Add(files);
        host.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandHost.RunAsync(host, parse, async (services, ct) =>
        {
            var stderr = System.Console.Error;
            var sources = RunCommand.ExpandTaskFiles(parse.GetValue(files) ?? [])
                .Select(path => new TaskSource(path, token => RunCommand.ReadTaskAsync(path, token)))
                .ToList();
            var tasks = await RunExecutor.LoadAllAsync(sources, stderr, ct).ConfigureAwait(false);
            if (tasks is null)
            {
                await stderr.WriteLineAsync("Nothing was enqueued.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            if (await RunExecutor.CheckAllAsync(services.GetRequiredService<TaskCheck>().CheckAsync, tasks, stderr, ct).ConfigureAwait(false) is { } refused)
            {
                await stderr.WriteLineAsync("Nothing was enqueued.").ConfigureAwait(false);
                return refused;
            }

            var queue = services.GetRequiredService<ITaskQueue>();
            var code = ExitCodes.Succeeded;
            foreach (var task in tasks)
            {
                try
                {
                    var entry = await queue.EnqueueAsync(task, ct).ConfigureAwait(false);
                    System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Enqueued {entry.Task}  {entry.State}  at {entry.EnqueuedAt:O}"));
                }
                catch (TaskConflictException ex)
                {
                    await stderr.WriteLineAsync($"Task {TaskKey.Of(task)}: {ex.Message}").ConfigureAwait(false);
                    code = ExitCodes.Combine([code, ExitCodes.Conflict]);
                }
            }

            return code;
        }, cancellationToken));
        return command;
    }
}
