using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class EnvironmentCredentialProviderTests
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    [Test]
    public async Task GetAsync_ConventionalVariable_ReadsNecroCodePrefixedUpperCaseName()
    {
        _environment["NECROCODE_GIT_TOKEN"] = "token-from-env";

        using var secret = await Provider(new CredentialOptions()).GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("token-from-env"));
    }

    [Test]
    public async Task GetAsync_MappedVariable_ReadsTheMappedName()
    {
        _environment["ANTHROPIC_API_KEY"] = "api-key-value";
        var options = new CredentialOptions { Environment = { ["api-key"] = "ANTHROPIC_API_KEY" } };

        using var secret = await Provider(options).GetAsync("api-key", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("api-key-value"));
    }

    [TestCase(null)]
    [TestCase("")]
    public async Task GetAsync_MissingOrEmptyVariable_ReturnsNull(string? value)
    {
        _environment["NECROCODE_GIT_TOKEN"] = value;

        var secret = await Provider(new CredentialOptions()).GetAsync("git-token", CancellationToken.None);

        Assert.That(secret, Is.Null);
    }

    [Test]
    public async Task GetAsync_NoPrefixAndNotMapped_ReturnsNull()
    {
        _environment["GIT_TOKEN"] = "value-123";

        var secret = await Provider(new CredentialOptions { EnvironmentPrefix = "" }).GetAsync("git-token", CancellationToken.None);

        Assert.That(secret, Is.Null);
    }

    [Test]
    public void GetAsync_NameWithSlash_Throws()
    {
        Assert.That(async () => await Provider(new CredentialOptions()).GetAsync("../x", CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public async Task GetAsync_RealProcessEnvironment_ReadsIt()
    {
        const string variable = "NECROCODE_TEST_ENV_CREDENTIAL_7F3A";
        Environment.SetEnvironmentVariable(variable, "from-process-env");
        try
        {
            var provider = new EnvironmentCredentialProvider(Options.Create(new CredentialOptions()));

            using var secret = await provider.GetAsync("test-env-credential-7f3a", CancellationToken.None);

            Assert.That(secret!.Reveal(), Is.EqualTo("from-process-env"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private EnvironmentCredentialProvider Provider(CredentialOptions options) =>
        new(Options.Create(options), name => _environment.GetValueOrDefault(name));
}
