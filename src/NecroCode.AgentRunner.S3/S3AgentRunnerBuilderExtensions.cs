using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.S3;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the S3 artifact store.</summary>
public static class S3AgentRunnerBuilderExtensions
{
    /// <summary>
    /// Keeps artifacts in an S3-compatible bucket: replaces the <see cref="IArtifactStore"/> with
    /// <see cref="S3ArtifactStore"/>, configured by <see cref="S3ArtifactStoreOptions"/> (validated at start). The
    /// access key and secret key are read from the runner's secrets (<c>s3-access-key</c>, <c>s3-secret-key</c> by default).
    /// </summary>
    /// <param name="builder">The runner's builder.</param>
    /// <param name="configure">Sets the options; bind <c>NecroCode:Artifacts:S3</c> for configuration files.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseS3ArtifactStore(this IAgentRunnerBuilder builder, Action<S3ArtifactStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindConfiguration<S3ArtifactStoreOptions>(S3ArtifactStoreOptions.SectionName);
        services.AddOptions<S3ArtifactStoreOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3ArtifactStoreOptions>, S3ArtifactStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3ArtifactStoreOptions>, S3ArtifactStoreOptionsConsistencyValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<S3ArtifactStore>();
        services.Replace(ServiceDescriptor.Singleton<IArtifactStore>(sp => sp.GetRequiredService<S3ArtifactStore>()));
        return builder;
    }
}
