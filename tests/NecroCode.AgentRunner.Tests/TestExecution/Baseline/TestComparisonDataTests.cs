using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution.Baseline;

[TestFixture]
public sealed class TestComparisonDataTests
{
    [Test]
    public void AddTo_Comparison_CountsAndBlockingAdded()
    {
        var comparison = new TestComparison("abc", TestOutcome.Failed,
        [
            new ClassifiedTest("calc::adds", TestCaseClass.Regressed, true),
            new ClassifiedTest("calc::divides", TestCaseClass.StillFailing, false),
            new ClassifiedTest("pytest", TestCaseClass.StillFailing, false) { IsCommand = true },
        ]) { BaselineCached = true };

        var data = TestComparisonData.AddTo(new Dictionary<string, string> { ["outcome"] = "TestsFailed" }, comparison);

        Assert.That(data, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["outcome"] = "TestsFailed",
            ["tests:baseCommit"] = "abc",
            ["tests:baselineCached"] = "true",
            ["tests:rerun"] = "false",
            ["tests:accepted"] = "false",
            ["tests:regressed"] = "1",
            ["tests:stillFailing"] = "1",
            ["tests:blocking"] = "Regressed: calc::adds",
        }));
    }

    [Test]
    public void AddTo_NoComparison_Unchanged()
    {
        var data = new Dictionary<string, string> { ["outcome"] = "Succeeded" };

        Assert.That(TestComparisonData.AddTo(data, null), Is.SameAs(data));
    }
}
