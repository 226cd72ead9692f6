namespace NecroCode.AgentRunner.Kiro.Tests;

[TestFixture]
public sealed class AnsiEscapeFilterTests
{
    [TestCase("\u001b[1;32mgreen\u001b[0m", "green")]
    [TestCase("\u001b]0;title\u0007text", "text")]
    [TestCase("\u001b[2K\u001b[1Gline", "line")]
    [TestCase("plain", "plain")]
    [TestCase("\u001b[?25lhidden cursor\u001b[?25h", "hidden cursor")]
    public void Strip_Text_RemovesEscapes(string input, string expected)
    {
        Assert.That(AnsiEscapeFilter.Strip(input), Is.EqualTo(expected));
    }
}
