using System.Text;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Tests.Posix;

[TestFixture]
public sealed class ProcFsTests
{
    [Test]
    public void ParseStat_CommandWithSpacesAndParentheses_ReadsFieldsAfterTheName()
    {
        // Arrange: fields 3.. of a real stat line; parent 1, utime 7, stime 5, cutime 3, cstime 2, start time 12345, rss 678.
        var line = "42 (a b) (c)) S 1 40 41 0 -1 4194560 100 0 0 0 7 5 3 2 20 0 1 0 12345 1000000 678 18446744073709551615 1 1 0 0 0\n";

        // Act
        var stat = ProcFs.ParseStat(42, Encoding.ASCII.GetBytes(line));

        // Assert
        Assert.That(stat, Is.EqualTo(new ProcStat(42, 'S', 40, 41, 12, 12345, 678, 1, 5)));
    }

    [Test]
    public void ParseStat_TruncatedLine_ReturnsNull()
    {
        // Arrange
        var line = "42 (x) S 1 40 41 0 -1";

        // Act
        var stat = ProcFs.ParseStat(42, Encoding.ASCII.GetBytes(line));

        // Assert
        Assert.That(stat, Is.Null);
    }

    [Test]
    public void ReadStat_OwnProcess_MatchesItsIdsAndIsRunning()
    {
        // Act
        var stat = ProcFs.ReadStat(Environment.ProcessId);

        // Assert
        Assert.That(stat, Is.Not.Null);
        Assert.That(stat!.Value.ProcessId, Is.EqualTo(Environment.ProcessId));
        Assert.That(stat.Value.StartTicks, Is.GreaterThan(0));
        Assert.That(stat.Value.ResidentPages, Is.GreaterThan(0));
        Assert.That(stat.Value.IsGone, Is.False);
    }

    [Test]
    public void ReadStat_NoSuchProcess_ReturnsNull()
    {
        // Act
        var stat = ProcFs.ReadStat(int.MaxValue);

        // Assert
        Assert.That(stat, Is.Null);
    }
}
