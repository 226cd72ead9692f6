using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Kiro;

namespace NecroCode.AgentRunner.Kiro.Tests;

[TestFixture]
public sealed class KiroAgentRunnerBuilderExtensionsTests
{
    [Test]
    public void UseKiro_Default_KiroApiKeyIsAnOptionalSecret()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseKiro();
        using var provider = services.BuildServiceProvider();

        var credentials = provider.GetRequiredService<IOptions<CredentialOptions>>().Value;

        Assert.That(credentials.OptionalSecrets, Does.Contain("kiro-api-key"));
    }

    [Test]
    public void UseKiro_SecretAlreadyRequired_NotAddedAgain()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseKiro(o => o.SecretVariables["kiro-token"] = "KIRO_TOKEN");
        services.Configure<CredentialOptions>(o => o.Secrets.Add("kiro-api-key"));
        using var provider = services.BuildServiceProvider();

        var credentials = provider.GetRequiredService<IOptions<CredentialOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(credentials.Secrets, Is.EqualTo(new[] { "kiro-api-key" }));
            Assert.That(credentials.OptionalSecrets, Is.EqualTo(new[] { "kiro-token" }));
        });
    }

    [Test]
    public void UseKiro_EntryWithEmptyVariable_NotFetched()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseKiro(o => o.SecretVariables["kiro-api-key"] = "");
        using var provider = services.BuildServiceProvider();

        var credentials = provider.GetRequiredService<IOptions<CredentialOptions>>().Value;

        Assert.That(credentials.OptionalSecrets, Does.Not.Contain("kiro-api-key"));
    }
}
