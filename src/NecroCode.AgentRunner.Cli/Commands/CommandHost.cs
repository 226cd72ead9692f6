using System.CommandLine;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// Runs a command that works on the composed runner's services (the queue, the registry, the pool): builds the
/// configuration and services from the host options, and turns the expected failures into a message and an exit code.
/// </summary>
internal static class CommandHost
{
    public static async Task<int> RunAsync(HostOptions host, ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), host.ToSettings(parse));
            await using var services = RunnerHost.BuildServices(configuration, TextWriter.Null, OutputMode.Summary);
            return await action(services, cancellationToken).ConfigureAwait(false);
        }
        catch (HostConfigurationException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (ArgumentException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (SlotUnavailableException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Conflict;
        }
        catch (RegistryException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InfrastructureError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await System.Console.Error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }
}
