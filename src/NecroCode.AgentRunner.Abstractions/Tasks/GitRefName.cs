using System.Text;

namespace NecroCode.AgentRunner;

/// <summary>Checks and builds git branch names by the rules of <c>git check-ref-format</c>.</summary>
public static class GitRefName
{
    private const int MaxLength = 200;

    /// <summary>Tells whether <paramref name="name"/> is a valid branch name (without <c>refs/heads/</c>).</summary>
    /// <param name="name">The branch name to check.</param>
    /// <returns><see langword="true"/> when git would accept it as a branch name.</returns>
    public static bool IsValidBranchName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name == "@" || name.StartsWith('-') ||
            name.StartsWith('/') || name.EndsWith('/') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal) ||
            name.Contains("//", StringComparison.Ordinal) || name.Contains("@{", StringComparison.Ordinal) || name.StartsWith("refs/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c <= ' ' || c == '\x7f' || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return false;
            }
        }

        foreach (var component in name.Split('/'))
        {
            if (component.StartsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Turns arbitrary text into a valid branch-name fragment: disallowed characters become
    /// <c>-</c>, runs collapse, and leading or trailing separators are trimmed.
    /// </summary>
    /// <param name="text">Text such as a spec name or task id.</param>
    /// <returns>A fragment that is safe inside a branch name; <c>x</c> when nothing usable is left.</returns>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/';
            var next = ok ? c : '-';
            if (builder.Length > 0 && (next is '-' or '.' or '/') && builder[^1] == next)
            {
                continue;
            }

            builder.Append(next);
        }

        var result = builder.ToString().Replace("..", ".", StringComparison.Ordinal).Replace("/.", "/", StringComparison.Ordinal).Replace(".lock", "-lock", StringComparison.Ordinal).Trim('-', '.', '/');
        return result.Length == 0 ? "x" : result.Length > 100 ? result[..100].TrimEnd('-', '.', '/') : result;
    }
}
