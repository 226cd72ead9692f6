using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class QGramIndexTests
{
    private static readonly string[] Variants = Enumerable.Range(0, 500).Select(i => $"Variant{i:D3}xQ{i * 7919 % 1000:D3}").ToArray();

    [Test]
    public void IndexOf_VariantsAtEveryOffset_FindsTheLeftmostStart()
    {
        var index = new QGramIndex(Variants);
        var misses = new List<int>();

        for (var offset = 0; offset < 40; offset++)
        {
            var text = new string('.', offset) + Variants[offset * 11] + " and " + Variants[3];
            if (index.IndexOf(text, 0) != offset)
            {
                misses.Add(offset);
            }
        }

        Assert.That(misses, Is.Empty);
    }

    [Test]
    public void IndexOf_OverlappingVariants_FindsTheEarlierStart()
    {
        var index = new QGramIndex(["abcdefgh", "efghijkl"]);

        var result = index.IndexOf("xxabcdefghijklxx", 0);

        Assert.That(result, Is.EqualTo(2));
    }

    [Test]
    public void IndexOf_VariantBeforeFrom_IsSkipped()
    {
        var index = new QGramIndex(Variants);
        var text = Variants[1] + " " + Variants[2];

        var result = index.IndexOf(text, 1);

        Assert.That(result, Is.EqualTo(Variants[1].Length + 1));
    }

    [Test]
    public void IndexOf_VariantCutOffByTheEnd_IsNotFound()
    {
        var index = new QGramIndex(Variants);

        var result = index.IndexOf("text " + Variants[9][..^1], 0);

        Assert.That(result, Is.EqualTo(-1));
    }
}
