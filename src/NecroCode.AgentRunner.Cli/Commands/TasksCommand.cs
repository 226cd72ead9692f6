using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary><c>necrocode-runner tasks list|show</c>: the queue and one task's story (entry, definition, events, artifacts).</summary>
internal static class TasksCommand
{
    public static Command Create()
    {
        var command = new Command("tasks", "Show the queue: every task, or one task with its definition, events and artifacts.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Command CreateList()
    {
        var host = new HostOptions();
        var state = new Option<string?>("--state") { Description = "Only tasks in this state: Pending, Running, Done or Failed." };
        var json = new Option<bool>("--json") { Description = "Print the entries as a JSON array." };
        var list = new Command("list", "List the queued tasks, oldest first: state, runner, claims, when enqueued and last changed.");
        list.Options.Add(state);
        list.Options.Add(json);
        host.AddTo(list);
        list.SetAction((parse, cancellationToken) => CommandHost.RunAsync(host, parse, async (services, ct) =>
        {
            var filter = ParseState(parse.GetValue(state));
            var entries = await services.GetRequiredService<ITaskQueue>().ListAsync(filter, ct).ConfigureAwait(false);
            QueueWriter.WriteList(System.Console.Out, entries, parse.GetValue(json));
            return ExitCodes.Succeeded;
        }, cancellationToken));
        return list;
    }

    private static Command CreateShow()
    {
        var host = new HostOptions();
        var task = new Argument<string>("task") { Description = "The task, as spec/task." };
        var json = new Option<bool>("--json") { Description = "Print the task as one JSON document." };
        var show = new Command("show", "Show one task: its queue entry, definition, registry record, artifacts and events.");
        show.Arguments.Add(task);
        show.Options.Add(json);
        host.AddTo(show);
        show.SetAction((parse, cancellationToken) => CommandHost.RunAsync(host, parse, async (services, ct) =>
        {
            var key = ParseKey(parse.GetValue(task)!);
            var queued = await services.GetRequiredService<ITaskQueue>().GetAsync(key, ct).ConfigureAwait(false);
            var registry = services.GetRequiredService<ITaskRegistry>();
            var record = await registry.GetTaskAsync(key, ct).ConfigureAwait(false);
            if (queued is null && record is null)
            {
                await System.Console.Error.WriteLineAsync($"Task {key} is neither queued nor known to the registry.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var events = await registry.GetEventsAsync(key, ct).ConfigureAwait(false);
            QueueWriter.WriteTask(System.Console.Out, key, queued, record, events, parse.GetValue(json));
            return ExitCodes.Succeeded;
        }, cancellationToken));
        return show;
    }

    private static TaskState? ParseState(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : Enum.TryParse<TaskState>(text, ignoreCase: true, out var state) && Enum.IsDefined(state) ? state
        : throw new HostConfigurationException($"--state must be Pending, Running, Done or Failed; got '{text}'.");

    private static TaskKey ParseKey(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1 && text.IndexOf('/', slash + 1) < 0
            ? new TaskKey(text[..slash], text[(slash + 1)..])
            : throw new HostConfigurationException($"A task is named spec/task (e.g. calc/task-1); got '{text}'.");
    }
}
