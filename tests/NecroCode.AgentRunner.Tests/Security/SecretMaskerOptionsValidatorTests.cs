using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class SecretMaskerOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new SecretMaskerOptionsValidator().Validate(null, new SecretMaskerOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_ZeroMinimumLength_Fails()
    {
        var result = new SecretMaskerOptionsValidator().Validate(null, new SecretMaskerOptions { MinimumSecretLength = 0 });

        Assert.That(result.FailureMessage, Does.Contain(nameof(SecretMaskerOptions.MinimumSecretLength)));
    }

    [Test]
    public void Validate_EmptyMask_Fails()
    {
        var result = new SecretMaskerOptionsValidator().Validate(null, new SecretMaskerOptions { Mask = "" });

        Assert.That(result.Failed, Is.True);
    }
}
