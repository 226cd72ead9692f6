using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Security;

public partial class SecretMasker
{
    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning, "A secret of {Length} characters is shorter than the minimum of {Minimum} and is not masked by value")]
        public static partial void SecretTooShort(ILogger logger, int length, int minimum);

        [LoggerMessage(5002, LogLevel.Debug, "Secret added; {SecretCount} secrets with {VariantCount} variants are masked")]
        public static partial void SecretAdded(ILogger logger, int secretCount, int variantCount);

        [LoggerMessage(5003, LogLevel.Debug, "Masking table rebuilt for {SecretCount} secrets and {VariantCount} variants")]
        public static partial void TableRebuilt(ILogger logger, int secretCount, int variantCount);

        [LoggerMessage(5004, LogLevel.Debug, "Secret removed; {SecretCount} secrets with {VariantCount} variants are masked")]
        public static partial void SecretRemoved(ILogger logger, int secretCount, int variantCount);
    }
}
