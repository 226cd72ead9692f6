using System.Collections;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class HiddenVariablesTests
{
    private const string Token = "tok-9Xv2LqP0Ws7Hd";

    private static Dictionary<string, string?> Find(CredentialOptions options, Hashtable environment, SecretMasker? masker = null) =>
        HiddenVariables.Find(options, new RunSecretsStub("git-token", Token), masker ?? new SecretMasker(), environment);

    [Test]
    public void Find_MappedAndConventionalNames_Hidden()
    {
        var options = new CredentialOptions { Secrets = ["api-key"], OptionalSecrets = ["db.password"] };
        options.Environment["api-key"] = "MY_API_KEY";

        var hidden = Find(options, []);

        Assert.That(hidden.Keys, Is.SupersetOf(new[] { "MY_API_KEY", "NECROCODE_API_KEY", "NECROCODE_DB_PASSWORD", "NECROCODE_GIT_TOKEN" }));
        Assert.That(hidden.Values, Is.All.Null);
    }

    [Test]
    public void Find_ValueHoldingSecret_HiddenWhateverItsName()
    {
        var environment = new Hashtable { ["GIT_CONFIG_VALUE_0"] = $"Authorization: Bearer {Token}", ["EXACT"] = Token, ["PLAIN"] = "keep" };

        var hidden = Find(new CredentialOptions(), environment);

        Assert.That(hidden.Keys, Does.Contain("GIT_CONFIG_VALUE_0").And.Contain("EXACT").And.Not.Contain("PLAIN"));
    }

    [Test]
    public void Find_EncodedSecretTheMaskerKnows_Hidden()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Token);
        var environment = new Hashtable { ["ENCODED"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + Token)) };

        var hidden = Find(new CredentialOptions(), environment, masker);

        Assert.That(hidden.Keys, Does.Contain("ENCODED"));
    }

    [Test]
    public void Find_RunnerVariables_HiddenButTrackingKept()
    {
        var tracking = ProcessRunner.TrackingVariablePrefix + "abc";
        var environment = new Hashtable { ["NECROCODE_SOMETHING"] = "x", ["CUSTOM_PREFIX_KEY"] = "y", [tracking] = "1", ["HOME"] = "/home/u" };

        var hidden = Find(new CredentialOptions { EnvironmentPrefix = "CUSTOM_PREFIX_" }, environment);

        Assert.That(hidden.Keys, Does.Contain("NECROCODE_SOMETHING").And.Contain("CUSTOM_PREFIX_KEY").And.Not.Contain(tracking).And.Not.Contain("HOME"));
    }
}
