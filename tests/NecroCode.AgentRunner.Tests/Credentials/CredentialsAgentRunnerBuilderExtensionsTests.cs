using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class CredentialsAgentRunnerBuilderExtensionsTests
{
    [Test]
    public void UseCredentials_DefaultOrder_SecretFilesThenEnvironment()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseCredentials();
        using var provider = services.BuildServiceProvider();

        var composite = (CompositeCredentialProvider)provider.GetRequiredService<ICredentialProvider>();

        Assert.That(composite.Providers.Select(p => p.GetType()), Is.EqualTo(new[] { typeof(SecretFileCredentialProvider), typeof(EnvironmentCredentialProvider) }));
    }

    [Test]
    public void UseCredentials_ConfiguredOrder_IsKept()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseCredentials(o => o.Order = [CredentialSource.Environment, CredentialSource.SecretFile]);
        using var provider = services.BuildServiceProvider();

        var composite = (CompositeCredentialProvider)provider.GetRequiredService<ICredentialProvider>();

        Assert.That(composite.Providers[0], Is.TypeOf<EnvironmentCredentialProvider>());
    }

    [Test]
    public async Task UseCredentials_SecretInFolder_OpenedRunMasksIt()
    {
        using var folder = new TempFolder("necrocode-di-secrets-");
        await File.WriteAllTextAsync(folder.Combine("git-token"), "di-token-value-9\n");
        var services = new ServiceCollection();
        services.AddAgentRunner().UseCredentials(o =>
        {
            o.SecretDirectory = folder.Path;
            o.Secrets = ["git-token"];
        });
        await using var provider = services.BuildServiceProvider();

        await using var credentials = await provider.GetRequiredService<RunCredentialsFactory>().OpenAsync(CancellationToken.None);

        Assert.That(provider.GetRequiredService<ISecretMasker>().Apply("token=di-token-value-9"), Is.EqualTo("token=***"));
    }

    [Test]
    public void UseCredentials_InvalidName_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseCredentials(o => o.Secrets = ["a/b"]);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOptions<CredentialOptions>>().Value, Throws.TypeOf<OptionsValidationException>());
    }
}
