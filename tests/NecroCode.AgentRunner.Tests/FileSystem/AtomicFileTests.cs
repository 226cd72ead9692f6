using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed class AtomicFileTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder("necrocode-atomic-");

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void TryCreate_NewPath_CreatedWithTheWholeContentAndNoTempLeft()
    {
        var path = _dir.Combine("slot-1.lease");

        var created = AtomicFile.TryCreate(path, "lease"u8);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.True);
            Assert.That(File.ReadAllText(path), Is.EqualTo("lease"));
            Assert.That(Directory.EnumerateFiles(_dir.Path), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void TryCreate_PathExists_FalseAndTheFileUntouched()
    {
        var path = _dir.WriteFile("slot-1.lease", "first");

        var created = AtomicFile.TryCreate(path, "second"u8);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.False);
            Assert.That(File.ReadAllText(path), Is.EqualTo("first"));
            Assert.That(Directory.EnumerateFiles(_dir.Path), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public async Task TryCreate_ManyAtOnce_ExactlyOneWins()
    {
        var path = _dir.Combine("slot-1.lease");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => AtomicFile.TryCreate(path, [(byte)i]))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }
}
