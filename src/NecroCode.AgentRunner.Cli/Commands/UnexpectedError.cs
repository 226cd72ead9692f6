using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>How the host reports an error it did not expect: one line, the stack trace only at log level Debug or Trace.</summary>
internal static class UnexpectedError
{
    /// <summary>Whether the configured log level asks for details (Debug or Trace).</summary>
    public static bool IsVerbose(IConfiguration? configuration) =>
        Enum.TryParse<LogLevel>(configuration?[$"{RunnerHost.RootSection}:Logging:Level"], ignoreCase: true, out var level) && level <= LogLevel.Debug;

    public static async Task WriteAsync(TextWriter stderr, Exception exception, bool verbose, string prefix = "")
    {
        var message = exception.Message.ReplaceLineEndings(" ");
        await stderr.WriteLineAsync(verbose
            ? $"{prefix}Unexpected error ({exception.GetType().Name}): {message}{Environment.NewLine}{exception}"
            : $"{prefix}Unexpected error ({exception.GetType().Name}): {message} (--log-level Debug shows the details)").ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command's action as the host's last line of defence: invalid settings become their message and exit code
    /// 2, anything else unexpected one line and exit code 3, never a crash dump.
    /// </summary>
    /// <param name="action">The command's action.</param>
    /// <returns>Its exit code.</returns>
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (HostConfigurationException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
#pragma warning disable CA1031 // The host's last line of defence: a clear message and exit code 3, never a crash dump.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await WriteAsync(System.Console.Error, ex, verbose: false).ConfigureAwait(false);
            return ExitCodes.InfrastructureError;
        }
    }
}
