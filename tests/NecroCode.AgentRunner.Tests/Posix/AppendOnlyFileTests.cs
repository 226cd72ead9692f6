using System.Text;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Tests.Posix;

[TestFixture]
public sealed class AppendOnlyFileTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder("necrocode-posix-");

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Open_MissingFile_CreatedEmpty()
    {
        var path = _dir.Combine("log.jsonl");

        using var file = AppendOnlyFile.Open(path);

        Assert.Multiple(() =>
        {
            Assert.That(file.Created, Is.True);
            Assert.That(file.Length, Is.Zero);
            Assert.That(file.IsEmptyOrEndsWith((byte)'\n'), Is.True);
        });
    }

    [Test]
    public void Append_TwoHandles_BothLinesAtTheEndNeverOverwritten()
    {
        var path = _dir.WriteFile("log.jsonl", "first\n");
        using var a = AppendOnlyFile.Open(path);
        using var b = AppendOnlyFile.Open(path);

        a.Append("second\n"u8.ToArray());
        b.Append("third\n"u8.ToArray());
        a.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(a.Created, Is.False);
            Assert.That(File.ReadAllText(path), Is.EqualTo("first\nsecond\nthird\n"));
        });
    }

    [Test]
    public void IsEmptyOrEndsWith_TornLastLine_False()
    {
        var path = _dir.WriteFile("log.jsonl", "complete\ntorn");

        using var file = AppendOnlyFile.Open(path);

        Assert.Multiple(() =>
        {
            Assert.That(file.IsEmptyOrEndsWith((byte)'\n'), Is.False);
            Assert.That(file.Length, Is.EqualTo(Encoding.UTF8.GetByteCount("complete\ntorn")));
        });
    }

    [Test]
    public void Open_MissingFolder_ThrowsIOExceptionNamingThePath()
    {
        var path = _dir.Combine("missing", "log.jsonl");

        var ex = Assert.Throws<IOException>(() => AppendOnlyFile.Open(path));

        Assert.That(ex!.Message, Does.Contain(path));
    }
}
