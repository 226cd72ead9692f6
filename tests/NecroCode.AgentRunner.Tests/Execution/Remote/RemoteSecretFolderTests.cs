using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Tests.FileSystem;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed class RemoteSecretFolderTests
{
    private TempFolder _dir = null!;
    private RemoteSecretFolder _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _folder = new RemoteSecretFolder(_dir.Path, "NecroCode:Test:SecretsPath");
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Names_FilesTheRunnerCannotFetch_AreLeftOut()
    {
        File.WriteAllText(_dir.Combine("git-token"), "a");
        File.WriteAllText(_dir.Combine(".hidden"), "b");
        File.WriteAllText(_dir.Combine("with space"), "c");
        File.WriteAllText(_dir.Combine("api.key"), "d");

        Assert.That(_folder.Names(), Is.EqualTo(new[] { "api.key", "git-token" }));
    }

    [Test]
    public void Names_NoFolder_None()
    {
        Assert.That(new RemoteSecretFolder(null, "NecroCode:Test:SecretsPath").Names(), Is.Empty);
        Assert.That(new RemoteSecretFolder(_dir.Combine("missing"), "NecroCode:Test:SecretsPath").Names(), Is.Empty);
    }

    [Test]
    public void Learn_SecretFile_TheMaskerLearnsItsValueWithoutTheNewline()
    {
        File.WriteAllText(_dir.Combine("git-token"), "tkn-value\n");
        var masker = new SecretMaskerStub();

        var names = _folder.Learn(masker);

        Assert.That(names, Is.EqualTo(new[] { "git-token" }));
        Assert.That(masker.Apply("use tkn-value here"), Is.EqualTo("use *** here"));
    }

    [Test]
    public void Learn_FileLargerThan64KiB_IsNotLearned()
    {
        File.WriteAllText(_dir.Combine("big"), new string('x', 64 * 1024 + 1));
        var masker = new SecretMaskerStub();

        _folder.Learn(masker);

        Assert.That(masker.Apply("xxxx"), Is.EqualTo("xxxx"));
    }

    [Test]
    public void AddRunnerVariables_ConfiguredOptionalSecrets_NamesFollowThem()
    {
        var variables = new Dictionary<string, string> { ["NecroCode__Credentials__OptionalSecrets__0"] = "configured" };

        _folder.AddRunnerVariables(variables, ["git-token", "api.key"]);

        Assert.That(variables, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["NecroCode__Credentials__OptionalSecrets__0"] = "configured",
            ["NecroCode__Credentials__SecretDirectory"] = RemoteSecretFolder.DefaultMountPath,
            ["NecroCode__Credentials__OptionalSecrets__1"] = "git-token",
            ["NecroCode__Credentials__OptionalSecrets__2"] = "api.key",
        }));
    }

    [Test]
    public void AddRunnerVariables_NoFolder_AddsNothing()
    {
        var variables = new Dictionary<string, string>();

        new RemoteSecretFolder("", "NecroCode:Test:SecretsPath").AddRunnerVariables(variables, ["git-token"]);

        Assert.That(variables, Is.Empty);
    }
}
