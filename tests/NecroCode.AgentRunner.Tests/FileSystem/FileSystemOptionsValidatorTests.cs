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

    [TestCase(nameof(FileSystemOptions.RootPath))]
    [TestCase(nameof(FileSystemOptions.SlotsPath))]
    public void Validate_FolderWhoseParentDoesNotExist_FailsNamingTheKeyAndTheParent(string key)
    {
        using var temp = new TempFolder("necrocode-paths-");
        var parent = temp.Combine("missing");
        var options = new FileSystemOptions { RootPath = temp.Path };
        if (key == nameof(FileSystemOptions.RootPath))
        {
            options.RootPath = Path.Combine(parent, "root");
        }
        else
        {
            options.SlotsPath = Path.Combine(parent, "slots");
        }

        var result = new FileSystemOptionsPathsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.StartWith(key + ":").And.Contain($"'{parent}'"));
        Assert.That(Directory.Exists(parent), Is.False);
    }

    [Test]
    public void Validate_RootThatIsAFile_FailsNamingIt()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = new FileSystemOptionsPathsValidator().Validate(null, new FileSystemOptions { RootPath = file });

            Assert.That(result.FailureMessage, Does.Contain("RootPath").And.Contain("is a file"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Validate_MissingRootInsideAnExistingFolder_Succeeds()
    {
        var result = new FileSystemOptionsPathsValidator().Validate(null, new FileSystemOptions { RootPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")) });

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void GetRegistryPath_Default_IsUnderCurrentDirectory()
    {
        var path = new FileSystemOptions().GetRegistryPath();

        Assert.That(path, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, ".necrocode", "registry")));
    }
}
