using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution.Results;

[TestFixture]
public sealed class ResultGlobsTests
{
    [TestCase("**/junit*.xml", "junit.xml", true)]
    [TestCase("**/junit*.xml", "reports/unit/junit-1.xml", true)]
    [TestCase("**/junit*.xml", "reports/other.xml", false)]
    [TestCase("**/*.trx", "tests/App.Tests/TestResults/run_2024.trx", true)]
    [TestCase("build/test-results/**", "build/test-results/test/TEST-a.xml", true)]
    [TestCase("build/*.tap", "build/sub/a.tap", false)]
    [TestCase("out/result?.tap", "out/result1.tap", true)]
    public void IsMatch_Glob_MatchesRelativePaths(string glob, string path, bool expected)
    {
        Assert.That(ResultGlobs.Parse(glob).IsMatch(path), Is.EqualTo(expected));
    }

    [Test]
    public void Split_SeparatorsAndBlanks_TrimmedGlobs()
    {
        Assert.That(ResultGlobs.Split(" **/a.xml ; ;b.tap"), Is.EqualTo(new[] { "**/a.xml", "b.tap" }));
    }
}
