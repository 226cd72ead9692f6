using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary><c>necrocode-runner spec run|show &lt;folder&gt;</c>: carries out a Kiro spec folder, or prints its task graph.</summary>
internal static class SpecCommand
{
    public static Command Create()
    {
        var command = new Command("spec", "Carry out a Kiro spec folder (requirements.md, design.md, tasks.md): every task on its own branch, ticked off in tasks.md when done.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Command CreateRun()
    {
        var host = new HostOptions();
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The spec folder, e.g. .kiro/specs/user-auth." };
        var parallel = new Option<int>("--parallel", "-p") { Description = "How many tasks whose dependencies are done run at once. Default 1.", DefaultValueFactory = _ => 1 };
        var only = new Option<string[]>("--only") { Description = "Run only this task (a parent's number stands for its sub-tasks); repeat for several.", AllowMultipleArgumentsPerToken = true };
        var from = new Option<string?>("--from") { Description = "Start at this task; the tasks before it are left as they are." };
        var optional = new Option<bool>("--include-optional") { Description = "Run optional tasks (- [ ]* …) too." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (what runs, in which order, on which branch) and touch nothing." };
        var spec = new SpecReadArguments();
        var command = new Command("run", "Run every task of the spec whose dependencies are done, each through the normal pipeline on its own branch (stacked on its dependency's branch), and tick it off in tasks.md.");
        command.Arguments.Add(folder);
        command.Options.Add(parallel);
        command.Options.Add(only);
        command.Options.Add(from);
        command.Options.Add(optional);
        command.Options.Add(dryRun);
        spec.AddTo(command);
        host.AddTo(command);
        command.SetAction((parse, cancellationToken) => UnexpectedError.GuardAsync(async () =>
        {
            var degree = parse.GetValue(parallel);
            var settings = host.ToSettings(parse);
            HostOptions.LimitParallelRuns(degree, "--parallel", settings);
            var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), settings);
            var output = host.GetOutputMode(parse);
            var request = new SpecRunRequest(parse.GetValue(folder)!.FullName)
            {
                Parallel = degree,
                Only = parse.GetValue(only) ?? [],
                From = parse.GetValue(from),
                IncludeOptional = parse.GetValue(optional),
                ReadOptions = spec.ToOptions(parse),
                Events = output == OutputMode.Progress ? new SpecProgressSink(System.Console.Out) : null,
            };
            return await RunAsync(configuration, request, output, parse.GetValue(dryRun), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The spec folder, e.g. .kiro/specs/user-auth." };
        var spec = new SpecReadArguments();
        var command = new Command("show", "Print the spec's tasks as a graph: number, checkbox, title and what each task depends on.");
        command.Arguments.Add(folder);
        spec.AddTo(command);
        command.SetAction((parse, cancellationToken) => UnexpectedError.GuardAsync(async () =>
        {
            try
            {
                var read = await SpecFolder.ReadAsync(parse.GetValue(folder)!.FullName, spec.ToOptions(parse), cancellationToken).ConfigureAwait(false);
                SpecTable.WriteGraph(System.Console.Out, read);
                return ExitCodes.Succeeded;
            }
            catch (SpecFormatException ex)
            {
                await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(Microsoft.Extensions.Configuration.IConfiguration configuration, SpecRunRequest request, OutputMode output, bool dryRun, CancellationToken cancellationToken)
    {
        var stdout = System.Console.Out;
        var stderr = System.Console.Error;
        try
        {
            await using var services = RunnerHost.BuildServices(configuration, dryRun ? TextWriter.Null : stdout, output, showTask: true);
            RunnerHost.ValidateOptions(services);
            var runner = services.GetRequiredService<ISpecRunner>();
            if (dryRun)
            {
                SpecTable.WritePlan(stdout, await runner.PlanAsync(request, cancellationToken).ConfigureAwait(false));
                return ExitCodes.Succeeded;
            }

            var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            if (output == OutputMode.JsonLines)
            {
                await stdout.WriteLineAsync(SpecTable.ResultLine(result)).ConfigureAwait(false);
            }
            else
            {
                SpecTable.WriteResult(stdout, result);
            }

            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Combine(result.Tasks.Select(ExitCodeOf));
        }
        catch (Exception ex) when (ex is SpecFormatException or HostConfigurationException or RegistryException)
        {
            // A malformed spec, a task the runner refuses or bad settings: nothing ran. A registry that cannot be read: infrastructure.
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ex is RegistryException ? ExitCodes.InfrastructureError : ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>A task's exit code, as <c>run</c> gives it; a task blocked by a failed dependency counts as failed.</summary>
    internal static int ExitCodeOf(SpecTaskResult task) => task.Outcome switch
    {
        SpecTaskOutcome.Succeeded or SpecTaskOutcome.AlreadyDone or SpecTaskOutcome.Skipped => ExitCodes.Succeeded,
        SpecTaskOutcome.Cancelled => ExitCodes.Cancelled,
        SpecTaskOutcome.Blocked => ExitCodes.TaskFailed,
        _ => ExitCodes.For(task.RunOutcome ?? RunOutcome.StepFailed),
    };
}
