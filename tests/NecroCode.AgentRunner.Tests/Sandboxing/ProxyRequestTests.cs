using System.Text;
using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

[TestFixture]
public sealed class ProxyRequestTests
{
    [Test]
    public void Parse_Connect_IsATunnelToHostAndPort()
    {
        var request = Parse("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(request.IsTunnel, Is.True);
            Assert.That(request.Host, Is.EqualTo("api.example.com"));
            Assert.That(request.Port, Is.EqualTo(443));
            Assert.That(request.Target, Is.EqualTo("api.example.com:443"));
        });
    }

    [Test]
    public void Parse_ConnectToAnIPv6Address_KeepsTheAddressWithoutBrackets()
    {
        var request = Parse("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(request.Host, Is.EqualTo("::1"));
            Assert.That(request.Target, Is.EqualTo("[::1]:8443"));
        });
    }

    [Test]
    public void OriginHead_PlainRequest_UsesTheOriginFormAndDropsTheProxyHeaders()
    {
        var request = Parse("GET http://files.example.com:8080/a/b?c=1 HTTP/1.1\r\nHost: files.example.com:8080\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic c2VjcmV0\r\nConnection: keep-alive\r\nAccept: */*\r\n\r\n");

        var head = Encoding.Latin1.GetString(request.OriginHead());

        Assert.Multiple(() =>
        {
            Assert.That(request.IsTunnel, Is.False);
            Assert.That(request.Target, Is.EqualTo("files.example.com:8080"));
            Assert.That(head, Is.EqualTo("GET /a/b?c=1 HTTP/1.1\r\nHost: files.example.com:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n"));
        });
    }

    [Test]
    public void OriginHead_RequestWithoutHost_GetsOne()
    {
        var request = Parse("GET http://files.example.com/ HTTP/1.0\r\n\r\n");

        Assert.That(Encoding.Latin1.GetString(request.OriginHead()), Is.EqualTo("GET / HTTP/1.0\r\nHost: files.example.com\r\nConnection: close\r\n\r\n"));
    }

    [Test]
    public void OriginHead_AClientsOwnHostHeader_IsReplacedByTheCheckedOne()
    {
        var request = Parse("GET http://allowed.example.com/ HTTP/1.1\r\nHost: internal.other.example\r\nhost: second.example\r\n\r\n");

        Assert.That(Encoding.Latin1.GetString(request.OriginHead()), Is.EqualTo("GET / HTTP/1.1\r\nHost: allowed.example.com\r\nConnection: close\r\n\r\n"));
    }

    [TestCase("http://a.example/x/../y%2Fz?sig=a%2Bb", "/x/../y%2Fz?sig=a%2Bb")]
    [TestCase("http://a.example?q=1", "/?q=1")]
    [TestCase("http://a.example", "/")]
    [TestCase("http://a.example/p#fragment", "/p")]
    public void OriginHead_KeepsTheTargetAsWritten(string target, string originForm)
    {
        var request = Parse($"GET {target} HTTP/1.1\r\n\r\n");

        Assert.That(Encoding.Latin1.GetString(request.OriginHead()), Does.StartWith($"GET {originForm} HTTP/1.1\r\n"));
    }

    [TestCase("GET /relative HTTP/1.1\r\n\r\n", "absolute http:// URI")]
    [TestCase("GET https://api.example.com/ HTTP/1.1\r\n\r\n", "HTTPS goes through CONNECT")]
    [TestCase("CONNECT api.example.com HTTP/1.1\r\n\r\n", "CONNECT needs host:port")]
    [TestCase("CONNECT api.example.com:443/path HTTP/1.1\r\n\r\n", "CONNECT needs host:port")]
    [TestCase("hello\r\n\r\n", "not an HTTP/1 request line")]
    [TestCase("GET http://a/ HTTP/2\r\n\r\n", "not an HTTP/1 request line")]
    public void Parse_BadRequests_SayWhy(string head, string expected)
    {
        var request = ProxyRequest.Parse(Encoding.Latin1.GetBytes(head), out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(request, Is.Null);
            Assert.That(problem, Does.Contain(expected));
        });
    }

    [Test]
    public void EndOfHead_FindsTheBlankLine()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProxyRequest.EndOfHead("GET http://a/ HTTP/1.1\r\nHost: a\r\n"u8), Is.EqualTo(-1));
            Assert.That(ProxyRequest.EndOfHead("GET http://a/ HTTP/1.1\r\n\r\nbody"u8), Is.EqualTo(26));
        });
    }

    private static ProxyRequest Parse(string head)
    {
        var request = ProxyRequest.Parse(Encoding.Latin1.GetBytes(head), out var problem);
        Assert.That(request, Is.Not.Null, problem);
        return request!;
    }
}
