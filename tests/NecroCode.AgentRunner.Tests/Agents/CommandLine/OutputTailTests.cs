using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Tests.Agents.CommandLine;

[TestFixture]
public sealed class OutputTailTests
{
    [Test]
    public void Quote_Output_KeepsTheLastNonBlankLinesTrimmedAndWithoutEscapes()
    {
        var quote = OutputTail.Quote("Last: ", "one\ntwo\n\n  \u001b[31mthree\u001b[0m  \r\nfour\n", 3, " | ", 1000);

        Assert.That(quote, Is.EqualTo("Last: two | three | four"));
    }

    [TestCase("")]
    [TestCase("\n  \n\u001b[0m\n")]
    public void Quote_NothingToQuote_IsEmpty(string output)
    {
        Assert.That(OutputTail.Quote("Last: ", output, 3, " | ", 1000), Is.Empty);
    }

    [Test]
    public void Quote_LongerThanTheLimit_KeepsTheEnd()
    {
        Assert.That(OutputTail.Quote("Last:\n", "abcdef\nghij", 5, "\n", 6), Is.EqualTo("Last:\nf\nghij"));
    }
}
