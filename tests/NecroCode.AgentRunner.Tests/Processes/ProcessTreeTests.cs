using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
public sealed class ProcessTreeTests
{
    [TestCase(1000, 1050, 100L, 160L, 32768, ExpectedResult = true)]
    [TestCase(1000, 1000, 100L, 100L, 32768, ExpectedResult = true)]
    [TestCase(32000, 500, 100L, 1400L, 32768, ExpectedResult = false)] // wrapped: the last id is below the root's
    [TestCase(1000, 1050, 100L, 100_000L, 32768, ExpectedResult = false)] // so many created that a full wrap is possible
    [TestCase(1000, 1050, 100L, null, 32768, ExpectedResult = false)] // count unknown
    [TestCase(1000, 1050, 200L, 100L, 32768, ExpectedResult = false)] // count went back: do not trust it
    public bool IdsHaveNotWrapped_Table(int rootId, int lastId, long forksAtStart, long? forksNow, int idLimit) =>
        ProcessTree.IdsHaveNotWrapped(rootId, lastId, forksAtStart, forksNow, idLimit);
}
