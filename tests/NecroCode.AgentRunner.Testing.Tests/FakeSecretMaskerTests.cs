using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeSecretMaskerTests
{
    [Test]
    public void Apply_AddedValues_EachOccurrenceReplacedByTheMask()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("hunter2");
        masker.AddSecret("s3cr3t");

        Assert.That(masker.Apply("pw=hunter2 key=s3cr3t again hunter2"), Is.EqualTo("pw=*** key=*** again ***"));
    }

    [Test]
    public void Apply_OverlappingValues_TheLongestIsMaskedWhole()
    {
        var masker = new FakeSecretMasker { Mask = "[x]" };
        masker.AddSecret("abc");
        masker.AddSecret("abcdef");

        Assert.That(masker.Apply("-abcdef-abc-"), Is.EqualTo("-[x]-[x]-"));
    }

    [Test]
    public void Apply_NothingFound_TheSameInstance()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("hunter2");
        var text = "nothing secret here";

        Assert.That(masker.Apply(text), Is.SameAs(text));
    }

    [Test]
    public void RemoveSecret_AddedTwice_MaskedUntilRemovedAsOften()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("hunter2");
        masker.AddSecret("hunter2");

        masker.RemoveSecret("hunter2");
        var afterOne = masker.Apply("hunter2");
        masker.RemoveSecret("hunter2");

        Assert.Multiple(() =>
        {
            Assert.That(afterOne, Is.EqualTo("***"));
            Assert.That(masker.Apply("hunter2"), Is.EqualTo("hunter2"));
            Assert.That(masker.Secrets, Is.Empty);
        });
    }

    [Test]
    public void AddAndRemove_Recorded()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("one");
        masker.AddSecret("two");
        masker.AddSecret("one");
        masker.RemoveSecret("two");
        masker.RemoveSecret("never-added");

        Assert.Multiple(() =>
        {
            Assert.That(masker.Added, Is.EqualTo(new[] { "one", "two", "one" }));
            Assert.That(masker.Removed, Is.EqualTo(new[] { "two", "never-added" }));
            Assert.That(masker.Secrets, Is.EqualTo(new[] { "one" }));
        });
    }

    [Test]
    public void AddSecret_Empty_RecordedButMasksNothing()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("");

        Assert.Multiple(() =>
        {
            Assert.That(masker.Added, Is.EqualTo(new[] { "" }));
            Assert.That(masker.Apply("text"), Is.EqualTo("text"));
        });
    }

    [Test]
    public void CutLookahead_TheLongestValueMinusOne()
    {
        var masker = new FakeSecretMasker();
        var none = masker.CutLookahead;
        masker.AddSecret("abc");
        masker.AddSecret("abcdefgh");

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.Zero);
            Assert.That(masker.CutLookahead, Is.EqualTo(7));
        });
    }

    [Test]
    public void FindCut_NoValueCrossesTheLimit_TheLimit()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("secret");

        Assert.That(masker.FindCut("xx secret yyyyyy", 10, textEnds: true), Is.EqualTo(10));
    }

    [Test]
    public void FindCut_ValueCrossesTheLimit_CutBeforeIt()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("secret");

        Assert.That(masker.FindCut("xxxxsecretyy", 6, textEnds: true), Is.EqualTo(4));
    }

    [Test]
    public void FindCut_TextStopsInsideAValueAndMoreFollows_CutBeforeIt()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("secret");

        Assert.Multiple(() =>
        {
            Assert.That(masker.FindCut("xxxxsec", 6, textEnds: false), Is.EqualTo(4));
            Assert.That(masker.FindCut("xxxxsec", 6, textEnds: true), Is.EqualTo(6));
        });
    }

    [Test]
    public void FindCut_ValueLongerThanThePieceStartsTheText_TheLimit()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("secret");

        Assert.That(masker.FindCut("secretxx", 3, textEnds: true), Is.EqualTo(3));
    }

    [Test]
    public void FindCut_PiecesCutThere_EveryValueMaskedWhole()
    {
        var masker = new FakeSecretMasker();
        masker.AddSecret("hunter2");
        var text = string.Concat(Enumerable.Repeat("ab hunter2 c", 20));

        var pieces = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var window = text.AsSpan(start, Math.Min(text.Length - start, 9 + masker.CutLookahead));
            var cut = masker.FindCut(window, Math.Min(9, window.Length), start + window.Length == text.Length);
            pieces.Add(masker.Apply(text.Substring(start, cut)));
            start += cut;
        }

        Assert.That(string.Concat(pieces), Is.EqualTo(masker.Apply(text)));
    }

    [Test]
    public void Members_NullValue_Throw() =>
        Assert.Multiple(() =>
        {
            var masker = new FakeSecretMasker();
            Assert.That(() => masker.AddSecret(null!), Throws.ArgumentNullException);
            Assert.That(() => masker.RemoveSecret(null!), Throws.ArgumentNullException);
            Assert.That(() => masker.Apply(null!), Throws.ArgumentNullException);
        });
}
