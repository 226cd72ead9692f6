using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class CredentialOptionsNamesValidatorTests
{
    [Test]
    public void Validate_ValidMappings_Succeeds()
    {
        var options = new CredentialOptions
        {
            Secrets = ["git-token"],
            OptionalSecrets = ["api-key"],
            Files = { ["git-token"] = "token" },
            Environment = { ["api-key"] = "ANTHROPIC_API_KEY" },
            SecretDirectory = "/var/run/secrets/necrocode",
            Order = [CredentialSource.Environment, CredentialSource.SecretFile],
        };

        var result = new CredentialOptionsNamesValidator().Validate(null, options);

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_EveryKindOfBadValue_FailsNamingEach()
    {
        var options = new CredentialOptions
        {
            Secrets = ["../x"],
            Files = { ["git-token"] = "../../etc/passwd" },
            Environment = { ["api-key"] = "1-BAD" },
            EnvironmentPrefix = "X-",
            Order = [CredentialSource.Environment, CredentialSource.Environment],
        };

        var result = new CredentialOptionsNamesValidator().Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures!.Count(), Is.EqualTo(5));
            foreach (var field in new[] { "Secrets[0]", "Files[git-token]", "Environment[api-key]", "EnvironmentPrefix", "Order" })
            {
                Assert.That(result.FailureMessage, Does.Contain(field));
            }
        });
    }
}
