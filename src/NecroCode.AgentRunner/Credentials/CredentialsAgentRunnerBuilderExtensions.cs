using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Credentials;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Builder methods for the runner's credential sources.</summary>
public static class CredentialsAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Adds the credential sources — secret-mount files and environment variables, asked in
    /// <see cref="CredentialOptions.Order"/> — as <see cref="ICredentialProvider"/>, and the
    /// <see cref="RunCredentialsFactory"/> that opens a run's credentials. An <see cref="ICredentialProvider"/>
    /// registered before is kept.
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets the sources and the secrets a run needs.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseCredentials(this IAgentRunnerBuilder builder, Action<CredentialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<CredentialOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredentialOptions>, CredentialOptionsNamesValidator>());
        services.TryAddSingleton<EnvironmentCredentialProvider>();
        services.TryAddSingleton<SecretFileCredentialProvider>();
        services.TryAddSingleton<ICredentialProvider>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CredentialOptions>>().Value;
            return new CompositeCredentialProvider(options.EffectiveOrder.Select(source => source switch
            {
                CredentialSource.SecretFile => (ICredentialProvider)sp.GetRequiredService<SecretFileCredentialProvider>(),
                _ => sp.GetRequiredService<EnvironmentCredentialProvider>(),
            }));
        });
        services.TryAddSingleton<RunCredentialsFactory>();
        return builder;
    }
}
