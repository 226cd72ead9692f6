using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class CredentialOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new CredentialOptionsValidator().Validate(null, new CredentialOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_ZeroFileLimit_Fails()
    {
        var result = new CredentialOptionsValidator().Validate(null, new CredentialOptions { MaxSecretFileBytes = 0 });

        Assert.That(result.Failed, Is.True);
    }
}
