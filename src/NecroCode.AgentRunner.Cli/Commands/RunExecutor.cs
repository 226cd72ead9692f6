using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Runs tasks with a composed runner (several at once when asked) and turns the outcomes into an exit code.</summary>
internal static class RunExecutor
{
    public static async Task<int> ExecuteAsync(
        IConfiguration configuration,
        IReadOnlyList<Func<CancellationToken, Task<TaskContext>>> loadTasks,
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
            var tasks = await LoadAllAsync(loadTasks, stderr, cancellationToken).ConfigureAwait(false);
            if (tasks is null)
            {
                return ExitCodes.InvalidInput;
            }

            await using var services = RunnerHost.BuildServices(configuration, stdout, output, showTask: tasks.Count > 1);
            RunnerHost.ValidateOptions(services);
            var orchestrator = services.GetRequiredService<RunnerOrchestrator>();
            var environment = services.GetRequiredService<IExecutionEnvironment>();
            if (resume && environment.Name != "local")
            {
                throw new HostConfigurationException($"resume runs in local mode only; the execution mode is {environment.Name}.");
            }

            await using var health = await HealthHost.StartAsync(services, configuration, cancellationToken).ConfigureAwait(false);
            using var shutdown = cancellationToken.Register(() => services.GetRequiredService<RunnerReadiness>().MarkShuttingDown("the host is stopping"));
            var sink = new ObserverSink(services.GetServices<IRunEventObserver>());
            using var gate = new SemaphoreSlim(Math.Max(1, parallel));
            var runs = tasks.Select(async task =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return resume ? await orchestrator.ResumeAsync(task, cancellationToken).ConfigureAwait(false)
                        : environment.Name == "local" ? await orchestrator.RunAsync(task, cancellationToken).ConfigureAwait(false)
                        : await environment.RunAsync(new ExecutionRequest(task, sink), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            var results = await Task.WhenAll(runs).ConfigureAwait(false);
            foreach (var result in results)
            {
                if (output == OutputMode.JsonLines)
                {
                    await stdout.WriteLineAsync(ResultLine.Serialize(result)).ConfigureAwait(false);
                }
                else
                {
                    SummaryWriter.Write(stdout, result);
                }
            }

            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (resultFile is not null)
            {
                var text = results.Length == 1 ? AgentRunnerJson.Serialize(results[0]) : "[" + string.Join(",", results.Select(AgentRunnerJson.Serialize)) + "]";
                await File.WriteAllTextAsync(resultFile.FullName, text, CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.Combine(results.Select(r => ExitCodes.For(r.Outcome)));
        }
        catch (TaskValidationException ex)
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
    }

    /// <summary>Loads and validates every task before any runs; reports every bad file at once.</summary>
    private static async Task<List<TaskContext>?> LoadAllAsync(IReadOnlyList<Func<CancellationToken, Task<TaskContext>>> loadTasks, TextWriter stderr, CancellationToken cancellationToken)
    {
        var tasks = new List<TaskContext>();
        var failed = false;
        foreach (var load in loadTasks)
        {
            try
            {
                tasks.Add(await load(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"The task file could not be read: {ex.Message}").ConfigureAwait(false);
                failed = true;
            }
            catch (TaskValidationException ex)
            {
                await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
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
}
