using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitHttpCredentialsTests
{
    private readonly string _variable = "NECROCODE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");

    [TearDown]
    public void TearDown() => Environment.SetEnvironmentVariable(_variable, null);

    [Test]
    public void GetEnvironment_NoToken_ReturnsNull()
    {
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable }, new SecretMasker());

        Assert.That(credentials.GetEnvironment(), Is.Null);
    }

    [Test]
    public void GetEnvironment_Token_PassesBasicHeaderAsCommandScopedConfigAndMasksEveryForm()
    {
        Environment.SetEnvironmentVariable(_variable, " tkn-secret-value-1 \n");
        var masker = new SecretMasker();
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable, Username = "bot" }, masker);

        var environment = credentials.GetEnvironment()!;

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:tkn-secret-value-1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment["GIT_CONFIG_COUNT"], Is.EqualTo("2"));
            Assert.That(environment["GIT_CONFIG_KEY_0"], Is.EqualTo("credential.helper"));
            Assert.That(environment["GIT_CONFIG_VALUE_0"], Is.Empty);
            Assert.That(environment["GIT_CONFIG_KEY_1"], Is.EqualTo("http.extraHeader"));
            Assert.That(environment["GIT_CONFIG_VALUE_1"], Is.EqualTo($"Authorization: Basic {basic}"));
            Assert.That(masker.Apply($"a tkn-secret-value-1 b {basic} c"), Does.Not.Contain("tkn-secret-value-1").And.Not.Contain(basic));
        }
    }

    [Test]
    public void GetEnvironment_TokenFile_WinsOverVariable()
    {
        Environment.SetEnvironmentVariable(_variable, "from-variable");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable, TokenFile = file }, new SecretMasker());

            var header = credentials.GetEnvironment()!["GIT_CONFIG_VALUE_1"];

            Assert.That(header, Is.EqualTo("Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:from-file"))));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
