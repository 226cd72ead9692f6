using NecroCode.AgentRunner;

namespace NecroCode.AgentRunner.Abstractions.Tests;

[TestFixture]
public sealed class GitRefNameTests
{
    [TestCase("user auth", "user-auth")]
    [TestCase("../../etc", "etc")]
    [TestCase("a..b", "a.b")]
    [TestCase("x.lock", "x-lock")]
    [TestCase("日本語", "x")]
    [TestCase("1.2", "1.2")]
    public void Sanitize_Text_GivesValidFragment(string text, string expected)
    {
        var fragment = GitRefName.Sanitize(text);

        Assert.Multiple(() =>
        {
            Assert.That(fragment, Is.EqualTo(expected));
            Assert.That(GitRefName.IsValidBranchName("feature/" + fragment), Is.True);
        });
    }

    [Test]
    public void Sanitize_ArbitraryText_AlwaysValid()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x300)).ToArray();
            var fragment = GitRefName.Sanitize(new string(chars));
            Assert.That(GitRefName.IsValidBranchName($"feature/task-{fragment}-{fragment}"), Is.True, fragment);
        }
    }
}
