using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution.Baseline;

[TestFixture]
public sealed class BaselineCacheTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static TestRunResult Run(TestOutcome outcome) =>
        new(outcome, [new TestCommandResult("pytest", outcome, outcome == TestOutcome.Passed ? 0 : null, TimeSpan.Zero, "", "")], TimeSpan.Zero)
        {
            Cases = [new TestCaseResult("calc", "adds", TestCaseOutcome.Passed) { Duration = TimeSpan.FromMilliseconds(3) }],
        };

    [Test]
    public async Task GetOrTakeAsync_UsableBaseline_StoredAndReadBackWithItsCases()
    {
        var cache = new BaselineCache(TimeProvider.System);
        var key = BaselineCache.Key("abc", ["pytest"], "**/junit*.xml");
        await cache.GetOrTakeAsync(_dir.Path, key, _ => Task.FromResult(Run(TestOutcome.Passed)), CancellationToken.None);

        var (result, cached) = await cache.GetOrTakeAsync(_dir.Path, key, _ => throw new AssertionException("taken twice"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cached, Is.True);
            Assert.That(result.Cases.Single(), Is.EqualTo(Run(TestOutcome.Passed).Cases.Single()));
        });
    }

    [Test]
    public async Task GetOrTakeAsync_UnusableBaseline_NotStored()
    {
        var cache = new BaselineCache(TimeProvider.System);
        await cache.GetOrTakeAsync(_dir.Path, "k", _ => Task.FromResult(Run(TestOutcome.TimedOut)), CancellationToken.None);

        Assert.That(BaselineCache.TryLoad(_dir.Path, "k"), Is.Null);
    }

    [Test]
    public void TryLoad_CorruptFile_Missing()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "k.json"), "{ not json");

        Assert.That(BaselineCache.TryLoad(_dir.Path, "k"), Is.Null);
    }

    [Test]
    public void Key_DifferentCommitCommandsOrGlobs_DifferentKeys()
    {
        var keys = new[]
        {
            BaselineCache.Key("abc", ["pytest"], "a"), BaselineCache.Key("abd", ["pytest"], "a"),
            BaselineCache.Key("abc", ["pytest -x"], "a"), BaselineCache.Key("abc", ["pytest"], "b"),
        };

        Assert.That(keys, Is.Unique);
    }
}
