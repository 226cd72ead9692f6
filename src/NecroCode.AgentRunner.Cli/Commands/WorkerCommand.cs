using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// <c>necrocode-runner worker</c>: takes the next queued task, runs it and repeats, until stopped. On SIGTERM or Ctrl+C
/// it drains: it claims nothing more and reports not ready, lets the running tasks finish within the drain timeout,
/// hands the others back to the queue, and exits 0.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var host = new HostOptions();
        var maxParallel = new Option<int>("--max-parallel") { Description = "How many tasks this worker runs at once. Default 1.", DefaultValueFactory = _ => 1 };
        var drainTimeout = new Option<double>("--drain-timeout") { Description = "Seconds the running tasks get to finish once the worker is told to stop; the others are handed back to the queue. Default 30.", DefaultValueFactory = _ => 30 };
        var idleWait = new Option<double>("--idle-wait") { Description = "Longest wait, in seconds, of an idle worker before it looks at the queue again (an enqueue wakes it at once; a task whose runner died is noticed at the latest then). Default 10.", DefaultValueFactory = _ => 10 };
        var command = new Command("worker", "Run queued tasks (necrocode-runner enqueue) one after another, or several at once with --max-parallel, until stopped.");
        command.Options.Add(maxParallel);
        command.Options.Add(drainTimeout);
        command.Options.Add(idleWait);
        host.AddTo(command);
        command.SetAction((parse, cancellationToken) => UnexpectedError.GuardAsync(async () =>
        {
            var degree = parse.GetValue(maxParallel);
            var settings = host.ToSettings(parse);
            HostOptions.LimitParallelRuns(degree, "--max-parallel", settings);

            var worker = new WorkerSettings(degree, Seconds(parse.GetValue(drainTimeout), "--drain-timeout", allowZero: true), Seconds(parse.GetValue(idleWait), "--idle-wait", allowZero: false));
            var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), settings);
            var output = host.GetOutputMode(parse);
            await using var services = RunnerHost.BuildServices(configuration, System.Console.Out, output, showTask: true);
            RunnerHost.ValidateOptions(services);
            await using var health = await HealthHost.StartAsync(services, configuration, cancellationToken).ConfigureAwait(false);
            var loop = new WorkerLoop(services, worker, output, System.Console.Out, System.Console.Error);
            return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static TimeSpan Seconds(double value, string option, bool allowZero) =>
        double.IsFinite(value) && (value > 0 || (allowZero && value == 0)) && value <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new HostConfigurationException($"{option} must be {(allowZero ? "0" : "more than 0")} to 86400 seconds; got {value.ToString(CultureInfo.InvariantCulture)}.");
}
