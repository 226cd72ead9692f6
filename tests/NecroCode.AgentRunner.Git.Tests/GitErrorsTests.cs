namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitErrorsTests
{
    [TestCase("fatal: unable to access 'https://h/r.git/': The requested URL returned error: 503", "Transient")]
    [TestCase("fatal: the remote end hung up unexpectedly", "Transient")]
    [TestCase("error: RPC failed; curl 56 Recv failure: Connection reset by peer", "Transient")]
    [TestCase("fatal: Authentication failed for 'https://h/r.git/'", "Authentication")]
    [TestCase("fatal: unable to access 'https://h/r.git/': The requested URL returned error: 403", "Authentication")]
    [TestCase("fatal: could not read Username for 'https://h': terminal prompts disabled", "Authentication")]
    [TestCase("! [rejected] feature -> feature (non-fast-forward)", "NonFastForward")]
    [TestCase("! [rejected] feature -> feature (fetch first)", "NonFastForward")]
    [TestCase("fatal: '/nowhere' does not appear to be a git repository", "Other")]
    public void Classify_GitOutput_ReturnsKind(string output, string expected) =>
        Assert.That(GitErrors.Classify(output).ToString(), Is.EqualTo(expected));

    [Test]
    public void Mask_UrlWithCredentials_RemovesUserInfo()
    {
        var masked = GitErrors.Mask("fatal: unable to access 'https://x-access-token:ghp_secret@github.com/o/r.git/' and ssh://me:pw@host/r");

        Assert.That(masked, Is.EqualTo("fatal: unable to access 'https://***@github.com/o/r.git/' and ssh://***@host/r"));
    }
}
