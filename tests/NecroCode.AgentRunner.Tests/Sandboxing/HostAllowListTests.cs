using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

[TestFixture]
public sealed class HostAllowListTests
{
    private static readonly HostAllowList Allowed = HostAllowList.Parse(["api.example.com", "*.pkg.example.org", "git.example.net:443", "10.0.0.7", "[::1]:8080", "Upper.Example.COM."]);

    [TestCase("api.example.com", 443)]
    [TestCase("API.Example.com.", 80)]
    [TestCase("files.pkg.example.org", 443)]
    [TestCase("a.b.pkg.example.org", 443)]
    [TestCase("git.example.net", 443)]
    [TestCase("10.0.0.7", 22)]
    [TestCase("::1", 8080)]
    [TestCase("[::1]", 8080)]
    [TestCase("upper.example.com", 443)]
    public void Allows_ListedHosts(string host, int port) => Assert.That(Allowed.Allows(host, port), Is.True);

    [TestCase("example.com", 443, TestName = "Allows_TheParentOfAListedName_IsRefused")]
    [TestCase("api.example.com.evil.test", 443, TestName = "Allows_ANameThatOnlyStartsLikeAListedOne_IsRefused")]
    [TestCase("evilapi.example.com", 443, TestName = "Allows_ANameThatOnlyEndsLikeAListedOne_IsRefused")]
    [TestCase("pkg.example.org", 443, TestName = "Allows_TheDomainOfAWildcard_IsRefused")]
    [TestCase("xpkg.example.org", 443, TestName = "Allows_ANameEndingLikeAWildcardDomain_IsRefused")]
    [TestCase("git.example.net", 22, TestName = "Allows_AnotherPortThanTheListedOne_IsRefused")]
    [TestCase("10.0.0.8", 22, TestName = "Allows_AnotherAddress_IsRefused")]
    [TestCase("::1", 8081, TestName = "Allows_AnotherPortOfAListedAddress_IsRefused")]
    [TestCase("127.0.0.1", 80, TestName = "Allows_TheLoopbackWhenNotListed_IsRefused")]
    public void Allows_OtherHosts_AreRefused(string host, int port) => Assert.That(Allowed.Allows(host, port), Is.False);

    [TestCase("api.example.com")]
    [TestCase("*.example.com:443")]
    [TestCase("192.168.1.1:8443")]
    [TestCase("[2001:db8::1]")]
    [TestCase("2001:db8::1")]
    [TestCase("registry-1.docker.io")]
    public void Problem_ValidEntries_None(string entry) => Assert.That(HostAllowList.Problem(entry), Is.Null);

    [TestCase("", "is not a host name")]
    [TestCase("https://api.example.com", "is not a host name")]
    [TestCase("api.example.com/path", "is not a host name")]
    [TestCase("*", "is not a host name")]
    [TestCase("api.*.com", "is not a host name")]
    [TestCase("-bad.example.com", "is not a host name")]
    [TestCase("api.example.com:0", "port must be a number from 1 to 65535")]
    [TestCase("api.example.com:https", "port must be a number from 1 to 65535")]
    [TestCase("[::1]:70000", "port must be a number from 1 to 65535")]
    public void Problem_BadEntries_SayWhatIsWrong(string entry, string expected) =>
        Assert.That(HostAllowList.Problem(entry), Does.Contain(expected).And.Contain($"'{entry}'"));

    [Test]
    public void Parse_BadEntry_ThrowsNamingIt() =>
        Assert.That(() => HostAllowList.Parse(["ok.example.com", "not a host"]), Throws.TypeOf<FormatException>().With.Message.Contain("'not a host'"));

    [Test]
    public void Text_ListsTheEntriesAsConfigured() =>
        Assert.That(HostAllowList.Parse([" api.example.com ", "*.pkg.example.org:443"]).Text, Is.EqualTo("api.example.com, *.pkg.example.org:443"));
}
