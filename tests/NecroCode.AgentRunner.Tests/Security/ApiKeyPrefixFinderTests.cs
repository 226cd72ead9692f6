using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class ApiKeyPrefixFinderTests
{
    [Test]
    public void IndexOf_PrefixInsideWords_IsSkipped()
    {
        var text = "task-1 desk-top risk-score 9sk- Xsk- and then key=sk-abc";

        var result = ApiKeyPrefixFinder.IndexOf(text, 0, '\0');

        Assert.That(result, Is.EqualTo(text.Length - "sk-abc".Length));
    }

    [Test]
    public void IndexOf_PrefixAtTheStart_UsesThePreviousCharacter()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ApiKeyPrefixFinder.IndexOf("sk-abc", 0, '\0'), Is.Zero);
            Assert.That(ApiKeyPrefixFinder.IndexOf("sk-abc", 0, ' '), Is.Zero);
            Assert.That(ApiKeyPrefixFinder.IndexOf("sk-abc", 0, 'a'), Is.EqualTo(-1));
        });
    }

    [Test]
    public void IndexOf_EveryOffsetAndBoundary_MatchesTheScalarRule()
    {
        var mismatches = new List<string>();
        char[] befores = ['\0', ' ', '"', '=', '/', '-', '_', '@', '[', '`', '{', 'a', 'z', 'A', 'Z', '0', '9', 'é', 'Ａ'];

        for (var offset = 1; offset < 70; offset++)
        {
            foreach (var before in befores)
            {
                var chars = Enumerable.Repeat('x', offset + 40).ToArray();
                chars[offset - 1] = before;
                "sk-".CopyTo(chars.AsSpan(offset));
                var text = new string(chars);
                var expected = char.IsAsciiLetterOrDigit(before) ? -1 : offset;

                var result = ApiKeyPrefixFinder.IndexOf(text, 0, 'q');

                if (result != expected)
                {
                    mismatches.Add($"offset {offset}, before U+{(int)before:X4}: {result}");
                }
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void IndexOf_PrefixCutOffByTheEnd_IsNotFound()
    {
        var text = new string(' ', 50) + "sk";

        var result = ApiKeyPrefixFinder.IndexOf(text, 0, '\0');

        Assert.That(result, Is.EqualTo(-1));
    }

    [Test]
    public void IndexOf_PrefixBeforeFrom_IsSkipped()
    {
        var text = " sk-a" + new string(' ', 40) + "sk-b";

        var result = ApiKeyPrefixFinder.IndexOf(text, 2, '\0');

        Assert.That(result, Is.EqualTo(text.Length - 4));
    }
}
