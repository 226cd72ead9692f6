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
}
