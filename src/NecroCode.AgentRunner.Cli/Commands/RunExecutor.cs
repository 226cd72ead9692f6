using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Runs tasks with a composed runner (several at once when asked) and turns the outcomes into an exit code.</summary>
internal static class RunExecutor
{
    public static async Task<int> ExecuteAsync(
        IConfiguration configuration,
        IReadOnlyList<TaskSource> sources,
        OutputMode output,
        FileInfo? resultFile,
        int parallel,
        bool resume,
        CancellationToken cancellationToken)
    {
        var stdout = System.Console.Out;
        var stderr = System.Console.Error;
        try
        {
            var tasks = await LoadAllAsync(sources, stderr, cancellationToken).ConfigureAwait(false);
            if (tasks is null)
            {
                return ExitCodes.InvalidInput;
            }

            await using var services = RunnerHost.BuildServices(configuration, stdout, output, showTask: tasks.Count > 1);
            RunnerHost.ValidateOptions(services);
            var orchestrator = services.GetRequiredService<IAgentRunner>();
            var environment = services.GetRequiredService<IExecutionEnvironment>();
            var runnerId = configuration.GetSection(RunnerHost.RootSection)[HostKeys.ExecutionRunnerId] is { Length: > 0 } id ? id : null;
            if (resume && !environment.SupportsResume)
            {
                throw new HostConfigurationException($"resume runs in local mode only; the execution mode is {environment.Name}.");
            }

            if (await CheckAllAsync(orchestrator.CheckAsync, tasks, stderr, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            await using var health = await HealthHost.StartAsync(services, configuration, cancellationToken).ConfigureAwait(false);
            using var shutdown = cancellationToken.Register(() => services.GetRequiredService<RunnerReadiness>().MarkShuttingDown("the host is stopping"));
            var verbose = UnexpectedError.IsVerbose(configuration);
            using var gate = new SemaphoreSlim(Math.Max(1, parallel));
            var runs = tasks.Select(async task =>
            {
                try
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new RunEnd(null, ExitCodes.Cancelled);
                }

                try
                {
                    // The environment tells the runner's observers (the progress view, the JSON lines) every event itself.
                    var result = await environment.RunAsync(new ExecutionRequest(task) { Resume = resume, RunnerId = runnerId }, cancellationToken).ConfigureAwait(false);
                    return new RunEnd(result, ExitCodes.For(result.Outcome));
                }
#pragma warning disable CA1031 // One task's failure must not lose the other tasks' summaries; each becomes an exit code.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    return new RunEnd(null, await ReportRunErrorAsync(stderr, TaskKey.Of(task), ex, verbose, cancellationToken).ConfigureAwait(false));
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            var ends = await Task.WhenAll(runs).ConfigureAwait(false);
            var results = ends.Where(e => e.Result is not null).Select(e => e.Result!).ToList();
            var links = await ArtifactLinks.CreateAsync(services.GetRequiredService<IArtifactStore>(), results, stderr, CancellationToken.None).ConfigureAwait(false);
            foreach (var result in results)
            {
                if (output == OutputMode.JsonLines)
                {
                    await stdout.WriteLineAsync(ResultLine.Serialize(result, links)).ConfigureAwait(false);
                }
                else
                {
                    SummaryWriter.Write(stdout, result, links);
                }
            }

            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (resultFile is not null && results.Count > 0)
            {
                var text = sources.Count == 1 ? AgentRunnerJson.Serialize(results[0]) : "[" + string.Join(",", results.Select(AgentRunnerJson.Serialize)) + "]";
                await File.WriteAllTextAsync(resultFile.FullName, text, CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.Combine(ends.Select(e => e.Code));
        }
        catch (TaskValidationException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (PlaybookException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (HostConfigurationException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (RegistryException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InfrastructureError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The host's last line of defence: a clear message and exit code 3, never a crash dump.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await UnexpectedError.WriteAsync(stderr, ex, UnexpectedError.IsVerbose(configuration)).ConfigureAwait(false);
            return ExitCodes.InfrastructureError;
        }
    }

    /// <summary>Turns the exception that ended one task's run into a message and that task's exit code.</summary>
    private static async Task<int> ReportRunErrorAsync(TextWriter stderr, TaskKey task, Exception exception, bool verbose, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                await stderr.WriteLineAsync($"Task {task}: cancelled.").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            case TaskConflictException:
                await stderr.WriteLineAsync($"Task {task}: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.Conflict;
            case TaskValidationException or PlaybookException:
                await stderr.WriteLineAsync($"Task {task}: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            case RegistryException:
                await stderr.WriteLineAsync($"Task {task}: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.InfrastructureError;
            default:
                await UnexpectedError.WriteAsync(stderr, exception, verbose, $"Task {task}: ").ConfigureAwait(false);
                return ExitCodes.InfrastructureError;
        }
    }

    /// <summary>Loads and validates every task file before any runs; reports every bad file at once, each by name.</summary>
    internal static async Task<List<TaskContext>?> LoadAllAsync(IReadOnlyList<TaskSource> sources, TextWriter stderr, CancellationToken cancellationToken)
    {
        var tasks = new List<TaskContext>();
        var failed = false;
        foreach (var source in sources)
        {
            try
            {
                tasks.Add(await source.Load(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"{source.Name}: the task file could not be read: {ex.Message}").ConfigureAwait(false);
                failed = true;
            }
            catch (TaskValidationException ex)
            {
                await stderr.WriteLineAsync($"{source.Name}: {ex.Message}").ConfigureAwait(false);
                failed = true;
            }
        }

        var duplicates = tasks.GroupBy(TaskKey.Of).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).ToList();
        if (duplicates.Count > 0)
        {
            await stderr.WriteLineAsync($"The same task was given more than once: {string.Join(", ", duplicates)}.").ConfigureAwait(false);
            failed = true;
        }

        return failed ? null : tasks;
    }

    /// <summary>
    /// Resolves every task's playbook and branch before any run starts and reports every problem of every task at
    /// once; returns the exit code that refuses the tasks (2 for invalid ones, else 4 for a branch that belongs to
    /// another task or that two of the given tasks share), or null when all may run.
    /// </summary>
    internal static async Task<int?> CheckAllAsync(Func<TaskContext, CancellationToken, Task<TaskPlan>> check, IReadOnlyList<TaskContext> tasks, TextWriter stderr, CancellationToken cancellationToken)
    {
        int? refused = null;
        var branches = new Dictionary<string, TaskKey>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
        {
            try
            {
                var branch = (await check(task, cancellationToken).ConfigureAwait(false)).Branch;
                if (branches.TryGetValue(branch, out var other))
                {
                    await stderr.WriteLineAsync($"Task {TaskKey.Of(task)}: its branch '{branch}' is also the branch of task {other}; two tasks never share a branch. Give one of them a branch of its own (branchName, or a branch template that tells them apart).").ConfigureAwait(false);
                    refused ??= ExitCodes.Conflict;
                }
                else
                {
                    branches.Add(branch, TaskKey.Of(task));
                }
            }
            catch (Exception ex) when (ex is TaskValidationException or PlaybookException)
            {
                await stderr.WriteLineAsync($"Task {TaskKey.Of(task)}: {ex.Message}").ConfigureAwait(false);
                refused = ExitCodes.InvalidInput;
            }
            catch (TaskConflictException ex)
            {
                await stderr.WriteLineAsync($"Task {TaskKey.Of(task)}: {ex.Message}").ConfigureAwait(false);
                refused ??= ExitCodes.Conflict;
            }
        }

        return refused;
    }

    private sealed record RunEnd(RunnerResult? Result, int Code);
}
