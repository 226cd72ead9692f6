using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Git;

/// <summary>Classifies git error output (git runs with <c>LC_ALL=C</c>) and strips credentials from it.</summary>
internal static partial class GitErrors
{
    private static readonly string[] AuthenticationMarkers =
    [
        "Authentication failed", "could not read Username", "could not read Password", "terminal prompts disabled",
        "HTTP Basic: Access denied", "returned error: 401", "returned error: 403", "Permission denied (publickey",
        "Invalid username or password", "403 Forbidden", "401 Unauthorized",
    ];

    private static readonly string[] NonFastForwardMarkers = ["non-fast-forward", "(fetch first)", "(stale info)", "[rejected]"];

    private static readonly string[] TransientMarkers =
    [
        "Connection reset", "Connection refused", "Connection timed out", "Operation timed out", "timed out",
        "the remote end hung up unexpectedly", "early EOF", "RPC failed", "returned error: 5", "Could not resolve host",
        "Temporary failure", "unexpected disconnect", "transfer closed", "SSL_ERROR_SYSCALL", "gnutls_handshake",
        "Internal Server Error", "Service Unavailable", "Bad Gateway", "Gateway Timeout", "cannot lock ref",
        "Unable to create", "unable to access", "Empty reply from server", "Recv failure", "Send failure",
        "broken pipe", "index-pack failed", "unpack-objects abnormal exit",
    ];

    /// <summary>Classifies the stderr (and porcelain stdout) of a failed fetch or push.</summary>
    /// <param name="output">What git printed.</param>
    /// <returns>The kind of failure.</returns>
    public static GitErrorKind Classify(string output)
    {
        if (ContainsAny(output, AuthenticationMarkers))
        {
            return GitErrorKind.Authentication;
        }

        if (ContainsAny(output, NonFastForwardMarkers))
        {
            return GitErrorKind.NonFastForward;
        }

        return ContainsAny(output, TransientMarkers) ? GitErrorKind.Transient : GitErrorKind.Other;
    }

    /// <summary>Removes user info (user names, passwords, tokens) from every URL in <paramref name="text"/>.</summary>
    /// <param name="text">Text that may hold URLs.</param>
    /// <returns>The text with <c>scheme://***@host</c> in place of credentials.</returns>
    public static string Mask(string text) => UserInfo().Replace(text, "${scheme}://***@");

    private static bool ContainsAny(string text, string[] markers)
    {
        foreach (var marker in markers)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://[^/\s@]+@")]
    private static partial Regex UserInfo();
}
