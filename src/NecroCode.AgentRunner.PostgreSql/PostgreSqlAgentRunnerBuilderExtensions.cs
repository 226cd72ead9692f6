using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts a runner's shared state in PostgreSQL, for fleets of runners on many machines.</summary>
public static class PostgreSqlAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Uses PostgreSQL (<see cref="PostgreSqlFleet"/>) as the task registry, the task queue and the branch locks,
    /// replacing any others; records this machine's slot leases in it (the slots stay in this machine's pool); and,
    /// when <see cref="PostgreSqlOptions.MaxParallelRuns"/> is set, bounds the runs of the whole fleet on top of this
    /// machine's own limit. Call it after any <c>UseFileSystem()</c> (whose slot pool and limiter it wraps).
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets the connection string (or the secret that holds it), the schema and the leases; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UsePostgreSql(this IAgentRunnerBuilder builder, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindConfiguration<PostgreSqlOptions>(PostgreSqlOptions.SectionName);
        services.AddOptions<PostgreSqlOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOptions>, PostgreSqlOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOptions>, PostgreSqlOptionsConsistencyValidator>());
        services.TryAddSingleton(TimeProvider.System);
        if (services.Any(d => d.ServiceType == typeof(PostgreSqlFleet)))
        {
            // Used once already: the providers are in place and wrapped.
            return builder;
        }

        services.AddSingleton(sp => new PostgreSqlFleet(
            sp.GetRequiredService<IOptions<PostgreSqlOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ICredentialProvider>(),
            sp.GetService<ISecretMasker>()));
        services.Replace(ServiceDescriptor.Singleton(sp => sp.GetRequiredService<PostgreSqlFleet>().Registry));
        services.Replace(ServiceDescriptor.Singleton(sp => sp.GetRequiredService<PostgreSqlFleet>().Queue));
        services.Replace(ServiceDescriptor.Singleton(sp => sp.GetRequiredService<PostgreSqlFleet>().BranchLock));
        Decorate<ISlotPool>(services, (sp, local) => sp.GetRequiredService<PostgreSqlFleet>().ShareSlots(local));
        Decorate<IRunConcurrencyLimiter>(services, (sp, local) => sp.GetRequiredService<PostgreSqlFleet>().LimitRuns(local));
        return builder;
    }

    /// <summary>Wraps the registered <typeparamref name="TService"/> (the last one), keeping its lifetime; nothing when none is registered.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (inner is null)
        {
            return;
        }

        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => wrap(sp, (TService)Create(sp, inner)), inner.Lifetime));
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
