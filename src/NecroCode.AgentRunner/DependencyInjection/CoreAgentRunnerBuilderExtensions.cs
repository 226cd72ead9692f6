using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.FileSystem;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Builder methods for the providers that ship in the core package.</summary>
public static class CoreAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Uses the file-system task registry and queue, slot pool, artifact store and branch locks (the embedded
    /// defaults), replacing any other registered implementation.
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets their folders and timeouts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseFileSystem(this IAgentRunnerBuilder builder, Action<FileSystemOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddFileSystemOptions(services, configure);
        services.Replace(ServiceDescriptor.Singleton<ITaskRegistry, FileSystemTaskRegistry>());
        services.Replace(ServiceDescriptor.Singleton<ITaskQueue>(FileSystemQueueOf));
        services.Replace(ServiceDescriptor.Singleton<ISlotPool, FileSystemSlotPool>());
        services.Replace(ServiceDescriptor.Singleton<IArtifactStore, FileSystemArtifactStore>());
        services.Replace(ServiceDescriptor.Singleton<IBranchLock, FileSystemBranchLocks>());
        return builder;
    }

    /// <summary>
    /// The embedded file-system providers as defaults: each is added only when no other implementation of its
    /// contract is registered, so a registry, pool, store or lock the consumer registered before is kept.
    /// </summary>
    internal static void TryAddFileSystem(IServiceCollection services)
    {
        AddFileSystemOptions(services, null);
        services.TryAddSingleton<ITaskRegistry, FileSystemTaskRegistry>();
        services.TryAddSingleton<ITaskQueue>(FileSystemQueueOf);
        services.TryAddSingleton<ISlotPool, FileSystemSlotPool>();
        services.TryAddSingleton<IArtifactStore, FileSystemArtifactStore>();
        services.TryAddSingleton<IBranchLock, FileSystemBranchLocks>();
    }

    /// <summary>The file-system queue, which lives in the file-system registry's folder and shares its claims.</summary>
    private static FileSystemTaskQueue FileSystemQueueOf(IServiceProvider services) =>
        services.GetRequiredService<ITaskRegistry>() is FileSystemTaskRegistry registry
            ? new FileSystemTaskQueue(registry, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<FileSystemTaskQueue>>())
            : throw new InvalidOperationException(
                $"The file-system task queue works only over the file-system task registry, but the registry is {services.GetRequiredService<ITaskRegistry>().GetType().Name}; register an {nameof(ITaskQueue)} that shares that registry's claims.");

    private static void AddFileSystemOptions(IServiceCollection services, Action<FileSystemOptions>? configure)
    {
        services.AddOptions<FileSystemOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSystemOptions>, FileSystemOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSystemOptions>, FileSystemOptionsPathsValidator>());
    }

    /// <summary>Uses the command agent: a configured program run in the workspace with the prompt.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets the command, its arguments and how the prompt is passed.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseCommandAgent(this IAgentRunnerBuilder builder, Action<CommandAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<CommandAgentOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandAgentOptions>, CommandAgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandAgentOptions>, CommandAgentOptionsSecretsValidator>());
        services.Replace(ServiceDescriptor.Singleton<ICodingAgent, CommandCodingAgent>());
        return builder;
    }
}
