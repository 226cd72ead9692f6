using System.Globalization;
using System.Text;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

/// <summary>
/// The head of one request to the egress proxy: a <c>CONNECT host:port</c> tunnel, or a plain-HTTP request with an
/// absolute URI, which <see cref="OriginHead"/> rewrites for the origin server: the target as written after the authority
/// (not normalised: signed URLs stay valid), the <c>Host</c> header from the URI the allow-list checked (a client's own
/// <c>Host</c> could name another site of a shared server), the proxy's own headers left out, and <c>Connection: close</c>
/// so the connection carries this request to this host only.
/// </summary>
internal sealed class ProxyRequest
{
    /// <summary>The longest head read; a longer one is refused.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private static readonly string[] DroppedHeaders = ["host", "proxy-connection", "proxy-authorization", "connection", "keep-alive"];

    private readonly string _method;
    private readonly string _version;
    private readonly string _pathAndQuery;
    private readonly string _authority;
    private readonly IReadOnlyList<string> _headerLines;

    private ProxyRequest(string method, string host, int port, string authority, string pathAndQuery, string version, IReadOnlyList<string> headerLines)
    {
        _authority = authority;
        _method = method;
        Host = host;
        Port = port;
        _pathAndQuery = pathAndQuery;
        _version = version;
        _headerLines = headerLines;
    }

    /// <summary>Whether the request asks for a tunnel.</summary>
    public bool IsTunnel => _method == "CONNECT";

    /// <summary>The host asked for, as written (an IPv6 address without brackets).</summary>
    public string Host { get; }

    /// <summary>The port asked for.</summary>
    public int Port { get; }

    /// <summary>Where the request goes, for messages: <c>host:port</c>.</summary>
    public string Target => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads a request head from <paramref name="head"/> (ASCII, the blank line included).</summary>
    /// <returns>The request, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static ProxyRequest? Parse(ReadOnlySpan<byte> head, out string? problem)
    {
        problem = null;
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            problem = "not an HTTP/1 request line";
            return null;
        }

        var (method, target, version) = (requestLine[0], requestLine[1], requestLine[2]);
        var headers = lines.Skip(1).Where(line => line.Length > 0).ToList();
        if (method == "CONNECT")
        {
            if (!Uri.TryCreate("tunnel://" + target, UriKind.Absolute, out var authority) || authority.IsDefaultPort || authority.PathAndQuery != "/")
            {
                problem = $"CONNECT needs host:port, not '{target}'";
                return null;
            }

            return new ProxyRequest(method, authority.IdnHost, authority.Port, authority.Authority, "", version, headers);
        }

        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"a proxied request needs an absolute http:// URI (HTTPS goes through CONNECT), not '{target}'";
            return null;
        }

        // The target after the authority exactly as the client wrote it: Uri would remove dot-segments and re-escape.
        var pathStart = target.IndexOfAny(['/', '?'], target.IndexOf("//", StringComparison.Ordinal) + 2);
        var pathAndQuery = pathStart < 0 ? "/" : target[pathStart] == '?' ? "/" + target[pathStart..] : target[pathStart..];
        var fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        return new ProxyRequest(method, uri.IdnHost, uri.Port, uri.Authority, fragment < 0 ? pathAndQuery : pathAndQuery[..fragment], version, headers);
    }

    /// <summary>The head to send the origin server of a plain-HTTP request.</summary>
    public byte[] OriginHead()
    {
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{_method} {_pathAndQuery} {_version}\r\n");
        head.Append("Host: ").Append(_authority).Append("\r\n");
        foreach (var line in _headerLines)
        {
            if (!DroppedHeaders.Contains(line.Split(':', 2)[0].Trim().ToLowerInvariant()))
            {
                head.Append(line).Append("\r\n");
            }
        }

        head.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>Finds the end of a head (just past its blank line) in <paramref name="buffer"/>; -1 when not there yet.</summary>
    public static int EndOfHead(ReadOnlySpan<byte> buffer)
    {
        var index = buffer.IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : index + 4;
    }
}
