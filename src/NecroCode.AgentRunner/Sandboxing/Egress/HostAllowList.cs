using System.Globalization;
using System.Net;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

/// <summary>
/// The hosts a confined process may reach (<see cref="SandboxOptions.AllowedHosts"/>): names, every name beneath a domain
/// (<c>*.example.com</c>, which does not match <c>example.com</c> itself) and addresses, each with one port or any.
/// Names compare without case and without a trailing dot; addresses compare as addresses (<c>[::1]</c> is <c>::1</c>).
/// </summary>
internal sealed class HostAllowList
{
    private readonly IReadOnlyList<Entry> _entries;

    private HostAllowList(IReadOnlyList<Entry> entries, string text)
    {
        _entries = entries;
        Text = text;
    }

    /// <summary>The entries as configured, comma-separated.</summary>
    public string Text { get; }

    /// <summary>Reads the configured entries.</summary>
    /// <exception cref="FormatException">An entry is not a host; the message names it.</exception>
    public static HostAllowList Parse(IEnumerable<string> entries)
    {
        var parsed = new List<Entry>();
        var texts = new List<string>();
        foreach (var entry in entries)
        {
            parsed.Add(TryParse(entry, out var problem) ?? throw new FormatException(problem));
            texts.Add(entry.Trim());
        }

        return new HostAllowList(parsed, string.Join(", ", texts));
    }

    /// <summary>Why <paramref name="entry"/> is not an allow-list entry; null when it is one.</summary>
    public static string? Problem(string entry)
    {
        _ = TryParse(entry, out var problem);
        return problem;
    }

    /// <summary>Whether <paramref name="host"/> (a name or an address, IPv6 with or without brackets) may be reached on <paramref name="port"/>.</summary>
    public bool Allows(string host, int port)
    {
        var normalized = Normalize(host);
        var address = ParseAddress(normalized);
        foreach (var entry in _entries)
        {
            if (entry.Port is { } only && only != port)
            {
                continue;
            }

            var matches = (entry.Address, address) switch
            {
                ({ } allowed, { } asked) => allowed.Equals(asked),
                (null, null) when entry.Subdomains => normalized.EndsWith("." + entry.Host, StringComparison.Ordinal),
                (null, null) => normalized == entry.Host,
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static Entry? TryParse(string entry, out string? problem)
    {
        problem = null;
        var text = (entry ?? "").Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            problem = $"'{entry}' is not a host name but looks like a URL; give the host alone (api.example.com, *.example.com, an address), with an optional ':port'.";
            return null;
        }

        var hostPart = text;
        int? port = null;
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        if (colon > 0 && (bracketed ? text.IndexOf(']', StringComparison.Ordinal) < colon : text.IndexOf(':', StringComparison.Ordinal) == colon))
        {
            hostPart = text[..colon];
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                problem = $"'{entry}': the port must be a number from 1 to 65535.";
                return null;
            }

            port = number;
        }

        var host = Normalize(hostPart);
        if (ParseAddress(host) is { } address)
        {
            return new Entry(host, false, port, address);
        }

        var subdomains = host.StartsWith("*.", StringComparison.Ordinal);
        var name = subdomains ? host[2..] : host;
        if (!IsHostName(name))
        {
            problem = $"'{entry}' is not a host name, '*.' and a domain, or an address (each with an optional ':port').";
            return null;
        }

        return new Entry(name, subdomains, port, null);
    }

    private static string Normalize(string host)
    {
        var trimmed = host.Trim().TrimEnd('.').ToLowerInvariant();
        return trimmed.StartsWith('[') && trimmed.EndsWith(']') ? trimmed[1..^1] : trimmed;
    }

    private static IPAddress? ParseAddress(string host) =>
        (host.Contains(':', StringComparison.Ordinal) || (host.Length > 0 && char.IsAsciiDigit(host[^1]))) && IPAddress.TryParse(host, out var address) ? address : null;

    private static bool IsHostName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Entry(string Host, bool Subdomains, int? Port, IPAddress? Address);
}
