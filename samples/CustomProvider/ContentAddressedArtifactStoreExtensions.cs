using CustomProvider;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NecroCode.AgentRunner;

// The namespace of IServiceCollection, as for every AddX/UseX method: the method shows wherever services are composed.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ContentAddressedArtifactStore"/> the way the runner's own providers register.</summary>
public static class ContentAddressedArtifactStoreExtensions
{
    /// <summary>
    /// Uses the content-addressed store for artifacts. It <c>Replace</c>s the <see cref="IArtifactStore"/> that is
    /// registered (the file-system default, or one an earlier <c>UseX()</c> chose), so call it after
    /// <c>UseFileSystem()</c>: a later <c>UseFileSystem()</c> would put its own store back.
    /// </summary>
    /// <param name="builder">The builder <c>AddAgentRunner()</c> returned.</param>
    /// <param name="configure">Sets the store's folder.</param>
    /// <returns>The builder.</returns>
    public static IAgentRunnerBuilder UseContentAddressedArtifacts(this IAgentRunnerBuilder builder, Action<ContentAddressedArtifactStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ContentAddressedArtifactStoreOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IArtifactStore, ContentAddressedArtifactStore>());
        return builder;
    }
}
