using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class TemporarySecretFileTests
{
    private TempFolder _parent = null!;

    [SetUp]
    public void SetUp() => _parent = new TempFolder("necrocode-tempsecret-");

    [TearDown]
    public void TearDown() => _parent.Dispose();

    [Test]
    public void Create_Secret_WrittenPrivateInPrivateFolder()
    {
        using var file = TemporarySecretFile.Create("credentials", "token-value-1", parentDirectory: _parent.Path);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(file.Path), Is.EqualTo("token-value-1"));
            Assert.That(File.GetUnixFileMode(file.Path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(file.Folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(Path.GetDirectoryName(file.Folder), Is.EqualTo(_parent.Path));
        });
    }

    [Test]
    public async Task Create_ExecutableScript_OwnerMayRunIt()
    {
        using var file = TemporarySecretFile.Create("askpass.sh", "#!/bin/sh\necho token-value-1\n", executable: true, parentDirectory: _parent.Path);

        var start = new System.Diagnostics.ProcessStartInfo(file.Path) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(output.Trim(), Is.EqualTo("token-value-1"));
            Assert.That(File.GetUnixFileMode(file.Path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        });
    }

    [Test]
    public void Dispose_File_RemovesFileAndFolder()
    {
        var file = TemporarySecretFile.Create("credentials", "token-value-1", parentDirectory: _parent.Path);

        file.Dispose();
        file.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(file.Path), Is.False);
            Assert.That(Directory.EnumerateFileSystemEntries(_parent.Path), Is.Empty);
        });
    }

    [Test]
    public void Dispose_AfterExceptionInUsingBlock_NothingRemains()
    {
        string? path = null;

        Assert.That(() =>
        {
            using var file = TemporarySecretFile.Create("credentials", "token-value-1", parentDirectory: _parent.Path);
            path = file.Path;
            throw new InvalidOperationException("git failed");
        }, Throws.InvalidOperationException);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(path), Is.False);
            Assert.That(Directory.EnumerateFileSystemEntries(_parent.Path), Is.Empty);
        });
    }

    [Test]
    public void Create_ParentMissing_ThrowsAndLeavesNothing()
    {
        var missing = _parent.Combine("file-not-folder");
        File.WriteAllText(missing, "");

        Assert.That(() => TemporarySecretFile.Create("credentials", "token-value-1", parentDirectory: missing), Throws.InstanceOf<IOException>());
        Assert.That(Directory.EnumerateFileSystemEntries(_parent.Path), Is.EqualTo(new[] { missing }));
    }

    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase("")]
    public void Create_NotAPlainFileName_Throws(string name)
    {
        Assert.That(() => TemporarySecretFile.Create(name, "token-value-1", parentDirectory: _parent.Path), Throws.ArgumentException);
    }
}
