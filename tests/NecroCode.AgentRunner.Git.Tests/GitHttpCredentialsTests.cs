using System.Diagnostics.CodeAnalysis;
using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitHttpCredentialsTests
{
    private const string Url = "https://git.example.com/team/repo.git";
    private readonly string _variable = "NECROCODE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");

    [TearDown]
    public void TearDown() => Environment.SetEnvironmentVariable(_variable, null);

    [Test]
    public void GetEnvironment_NoToken_ReturnsNull()
    {
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable }, new SecretMasker());

        Assert.That(credentials.GetEnvironment(Url, RunSecrets.None), Is.Null);
    }

    [Test]
    public void GetEnvironment_Token_PassesBasicHeaderScopedToTheUrlAsCommandScopedConfigAndMasksEveryForm()
    {
        Environment.SetEnvironmentVariable(_variable, " tkn-secret-value-1 \n");
        var masker = new SecretMasker();
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable, Username = "bot" }, masker);

        var environment = credentials.GetEnvironment(Url, RunSecrets.None)!;

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:tkn-secret-value-1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment["GIT_CONFIG_COUNT"], Is.EqualTo("2"));
            Assert.That(environment["GIT_CONFIG_KEY_0"], Is.EqualTo("credential.helper"));
            Assert.That(environment["GIT_CONFIG_VALUE_0"], Is.Empty);
            Assert.That(environment["GIT_CONFIG_KEY_1"], Is.EqualTo($"http.{Url}.extraHeader"));
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

            var header = credentials.GetEnvironment(Url, RunSecrets.None)!["GIT_CONFIG_VALUE_1"];

            Assert.That(header, Is.EqualTo(BasicHeader("from-file")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void GetEnvironment_RunSecret_WinsOverTokenFileAndVariable()
    {
        Environment.SetEnvironmentVariable(_variable, "from-variable");
        var options = new GitOptions { TokenVariable = _variable, TokenFile = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N")) };
        var credentials = new GitHttpCredentials(options, new SecretMasker());

        var header = credentials.GetEnvironment(Url, new RunSecretsStub(("git-token", "from-run\n")))!["GIT_CONFIG_VALUE_1"];

        Assert.That(header, Is.EqualTo(BasicHeader("from-run")));
    }

    [Test]
    public void GetEnvironment_ConfiguredSecretName_TakesThatSecret()
    {
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable, TokenSecret = "github-token" }, new SecretMasker());

        var header = credentials.GetEnvironment(Url, new RunSecretsStub(("git-token", "other"), ("github-token", "named")))!["GIT_CONFIG_VALUE_1"];

        Assert.That(header, Is.EqualTo(BasicHeader("named")));
    }

    [TestCase("ssh://git@git.example.com/repo.git")]
    [TestCase("git@git.example.com:repo.git")]
    [TestCase("file:///srv/git/repo.git")]
    [TestCase("/srv/git/repo.git")]
    public void GetEnvironment_NotAnHttpUrl_ReturnsNull(string url)
    {
        Environment.SetEnvironmentVariable(_variable, "tkn-secret-value-2");
        var credentials = new GitHttpCredentials(new GitOptions { TokenVariable = _variable }, new SecretMasker());

        Assert.That(credentials.GetEnvironment(url, RunSecrets.None), Is.Null);
    }

    [TestCase("https://git.example.com/repo.git", "https://git.example.com/repo.git")]
    [TestCase("https://runner:pw@git.example.com:8443/a/repo.git", "https://git.example.com:8443/a/repo.git")]
    [TestCase("HTTP://user@127.0.0.1:4000/origin.git", "HTTP://127.0.0.1:4000/origin.git")]
    [TestCase("https://git.example.com", "https://git.example.com")]
    public void ScopeOf_HttpUrl_DropsUserInformationOnly(string url, string scope) =>
        Assert.That(GitHttpCredentials.ScopeOf(url), Is.EqualTo(scope));

    private static string BasicHeader(string token) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
}
