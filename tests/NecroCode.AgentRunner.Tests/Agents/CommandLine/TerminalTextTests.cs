using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Tests.Agents.CommandLine;

[TestFixture]
public sealed class TerminalTextTests
{
    [TestCase("\u001b[1;32mgreen\u001b[0m", "green")]
    [TestCase("\u009b1;31mred\u009b0m", "red")]
    [TestCase("\u001b]0;title\u0007text", "text")]
    [TestCase("\u001b[2K\u001b[1Gline", "line")]
    [TestCase("\u001b[?25lhidden cursor\u001b[?25h", "hidden cursor")]
    [TestCase("plain", "plain")]
    public void StripEscapes_Text_RemovesEveryEscapeKind(string input, string expected)
    {
        Assert.That(TerminalText.StripEscapes(input), Is.EqualTo(expected));
    }
}
