using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed class FileSystemOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new FileSystemOptionsValidator().Validate(null, new FileSystemOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_ZeroLockTimeout_FailsNamingIt()
    {
        var result = new FileSystemOptionsValidator().Validate(null, new FileSystemOptions { LockTimeout = TimeSpan.Zero });

        Assert.That(result.FailureMessage, Does.Contain(nameof(FileSystemOptions.LockTimeout)));
    }

    [Test]
    public void Validate_SameFolderForRegistryAndSlots_Fails()
    {
        var result = new FileSystemOptionsPathsValidator().Validate(null, new FileSystemOptions { RegistryPath = "/tmp/x", SlotsPath = "/tmp/x/" });

        Assert.That(result.Failed, Is.True);
    }

    [Test]
    public void GetRegistryPath_Default_IsUnderCurrentDirectory()
    {
        var path = new FileSystemOptions().GetRegistryPath();

        Assert.That(path, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, ".necrocode", "registry")));
    }
}
