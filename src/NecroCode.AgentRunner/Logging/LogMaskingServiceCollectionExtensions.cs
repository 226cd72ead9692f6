using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes every <see cref="ILogger"/> of the container mask secrets.</summary>
public static class LogMaskingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the <see cref="ILoggerFactory"/> with one whose loggers pass every record through the
    /// registered <see cref="ISecretMasker"/> before any logging provider sees it: the formatted message,
    /// the exception's text, string-valued structured state and scopes. Providers registered before or
    /// after this call are all covered. Call it after <c>AddLogging</c> (or <c>AddAgentRunner</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddAgentRunnerLogMasking(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
        {
            var inner = new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>());
            ISecretMasker? masker = null;
            return new MaskingLoggerFactory(inner, () => masker ??= sp.GetRequiredService<ISecretMasker>());
        }));
        return services;
    }
}
