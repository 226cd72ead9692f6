namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
[Category("Integration")]
public sealed class IndexFileTests
{
    private GitTestRepository _repo = null!;

    [SetUp]
    public async Task SetUp() => _repo = await GitTestRepository.CreateAsync();

    [TearDown]
    public void TearDown() => _repo.Dispose();

    private string IndexPath => Path.Combine(_repo.Slot, ".git", "index");

    [TestCase("2")]
    [TestCase("3")]
    [TestCase("4")]
    public async Task Read_IndexOfEachVersionWithoutFlags_ParsedAndNotFlagged(string version)
    {
        await _repo.SlotAsync("update-index", "--index-version", version);

        Assert.That(IndexFile.Read(IndexPath), Is.EqualTo(new IndexSummary(Parsed: true, MayHaveFlags: false, SelfContained: true)));
    }

    [TestCase("2", "--assume-unchanged")]
    [TestCase("3", "--assume-unchanged")]
    [TestCase("3", "--skip-worktree")]
    [TestCase("4", "--assume-unchanged")]
    [TestCase("4", "--skip-worktree")]
    public async Task Read_OneFlaggedEntry_Flagged(string version, string flag)
    {
        await _repo.SlotAsync("update-index", "--index-version", version);
        await _repo.SlotAsync("update-index", flag, "src/app.txt");

        Assert.That(IndexFile.Read(IndexPath), Is.EqualTo(new IndexSummary(Parsed: true, MayHaveFlags: true, SelfContained: true)));
    }

    [Test]
    public async Task Read_SplitIndex_NotSelfContainedSoGitIsAsked()
    {
        await _repo.SlotAsync("update-index", "--split-index");
        GitTestRepository.Write(_repo.Slot, "new.txt", "new\n");
        await _repo.SlotAsync("add", "new.txt");

        Assert.That(IndexFile.Read(IndexPath), Is.EqualTo(new IndexSummary(Parsed: true, MayHaveFlags: true, SelfContained: false)));
    }

    [Test]
    public void Read_TruncatedOrForeignContent_Unknown()
    {
        var index = File.ReadAllBytes(IndexPath);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IndexFile.Parse(index.AsSpan(0, index.Length - 30)), Is.EqualTo(IndexSummary.Unknown));
            Assert.That(IndexFile.Parse(index.AsSpan(0, 40)), Is.EqualTo(IndexSummary.Unknown));
            Assert.That(IndexFile.Parse("not an index at all, just some text"u8), Is.EqualTo(IndexSummary.Unknown));
            Assert.That(IndexFile.Read(Path.Combine(_repo.Slot, ".git", "no-such-index")), Is.EqualTo(IndexSummary.Unknown));
        }
    }
}
