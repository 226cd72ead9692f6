using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Runs one task with a composed runner and turns the outcome into an exit code.</summary>
internal static class RunExecutor
{
    public static async Task<int> ExecuteAsync(IConfiguration configuration, Func<CancellationToken, Task<TaskContext>> loadTask, OutputMode output, FileInfo? resultFile, CancellationToken cancellationToken, bool resume = false)
    {
        var stdout = System.Console.Out;
        var stderr = System.Console.Error;
        try
        {
            TaskContext task;
            try
            {
                task = await loadTask(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"The task file could not be read: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            await using var services = RunnerHost.BuildServices(configuration, stdout, output);
            RunnerHost.ValidateOptions(services);
            var orchestrator = services.GetRequiredService<RunnerOrchestrator>();
            var result = resume
                ? await orchestrator.ResumeAsync(task, cancellationToken).ConfigureAwait(false)
                : await orchestrator.RunAsync(task, cancellationToken).ConfigureAwait(false);
            if (output == OutputMode.JsonLines)
            {
                await stdout.WriteLineAsync(ResultLine.Serialize(result)).ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                SummaryWriter.Write(stdout, result);
            }
            if (resultFile is not null)
            {
                await File.WriteAllTextAsync(resultFile.FullName, AgentRunnerJson.Serialize(result), CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.For(result.Outcome);
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
}
