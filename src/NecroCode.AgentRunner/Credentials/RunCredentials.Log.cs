using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Credentials;

internal partial class RunCredentials
{
    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Debug, "Secret {SecretName} loaded ({Length} characters) and registered for masking")]
        public static partial void SecretLoaded(ILogger logger, string secretName, int length);

        [LoggerMessage(9002, LogLevel.Debug, "Optional secret {SecretName} was not found by any credential source")]
        public static partial void OptionalSecretMissing(ILogger logger, string secretName);

        [LoggerMessage(9003, LogLevel.Debug, "Run credentials wiped: {SecretCount} secrets zeroed, {FileCount} helper files removed")]
        public static partial void Wiped(ILogger logger, int secretCount, int fileCount);

        [LoggerMessage(9004, LogLevel.Error, "Credential helper file {Path} could not be removed ({Error})")]
        public static partial void FileNotRemoved(ILogger logger, string path, string error);
    }
}
