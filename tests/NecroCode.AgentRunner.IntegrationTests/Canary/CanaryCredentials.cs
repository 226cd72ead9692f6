using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>
/// Opens a run's credentials against the composed runner's masker. This stands in for the wiring the host
/// lacks today (<c>UseCredentials()</c> + <c>RunCredentialsFactory.OpenAsync</c> at the start of a run).
/// </summary>
internal static class CanaryCredentials
{
    public static Task<RunCredentials> OpenAsync(IServiceProvider services, CredentialOptions options, CancellationToken cancellationToken)
    {
        var wrapped = Options.Create(options);
        var provider = new CompositeCredentialProvider([new SecretFileCredentialProvider(wrapped), new EnvironmentCredentialProvider(wrapped)]);
        return RunCredentials.OpenAsync(provider, options.Secrets, options.OptionalSecrets, services.GetRequiredService<ISecretMasker>(), null, cancellationToken);
    }
}
