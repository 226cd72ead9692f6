using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Tests.Posix;

[TestFixture]
public sealed class ExclusiveFileTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder("necrocode-posix-");

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Write_NewFile_HoldsTheContent()
    {
        var path = _dir.Combine("new.txt");

        ExclusiveFile.Write(path, "content"u8);

        Assert.That(File.ReadAllText(path), Is.EqualTo("content"));
    }

    [Test]
    public void Write_FileExists_ThrowsAndLeavesItAsItWas()
    {
        var path = _dir.WriteFile("taken.txt", "original");

        Assert.Multiple(() =>
        {
            Assert.That(() => ExclusiveFile.Write(path, "other"u8), Throws.InstanceOf<IOException>());
            Assert.That(File.ReadAllText(path), Is.EqualTo("original"));
        });
    }

    [Test]
    public void Write_WithMode_CreatedWithThatMode()
    {
        var path = _dir.Combine("secret");

        ExclusiveFile.Write(path, "s"u8, durable: false, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Create_SymbolicLinkAtThePath_ThrowsWithoutWritingThroughIt()
    {
        var target = _dir.Combine("target.txt");
        var link = _dir.Combine("link.txt");
        File.CreateSymbolicLink(link, target);

        Assert.Multiple(() =>
        {
            Assert.That(() => ExclusiveFile.Create(link).Dispose(), Throws.InstanceOf<IOException>());
            Assert.That(File.Exists(target), Is.False);
        });
    }
}
