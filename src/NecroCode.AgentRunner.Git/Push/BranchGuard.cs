using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Decides, before any network access, whether a branch may be pushed: it must be a plain,
/// valid branch name (no refspec syntax), not the main branch and not match a protected pattern (both
/// compared ignoring letter case).
/// </summary>
internal sealed class BranchGuard
{
    private readonly string _mainBranch;
    private readonly (string Pattern, Regex Regex)[] _protected;

    /// <summary>Creates the guard.</summary>
    /// <param name="mainBranch">The main branch; always protected, in any letter case.</param>
    /// <param name="protectedPatterns">Further protected patterns (<c>*</c> one segment, <c>**</c> any).</param>
    public BranchGuard(string mainBranch, IEnumerable<string> protectedPatterns)
    {
        _mainBranch = mainBranch;
        _protected = [.. protectedPatterns.Select(p => (p, ToRegex(p)))];
    }

    /// <summary>Throws when <paramref name="branch"/> may not be pushed.</summary>
    /// <param name="branch">The branch the caller wants to push.</param>
    /// <exception cref="PushRefusedException">The branch is not a plain task branch.</exception>
    public void EnsurePushable(string? branch)
    {
        var name = branch ?? "";
        if (!GitRefName.IsValidBranchName(name) || name.StartsWith('+') || name == "HEAD" || name.Contains(':', StringComparison.Ordinal))
        {
            throw new PushRefusedException(name, "not a plain branch name (refspecs, wildcards and 'HEAD' are never pushed).");
        }

        // Case-insensitive like the protected patterns: on a case-insensitive file system (the remote's or a
        // clone's) 'MAIN' and 'main' are the same ref file.
        if (string.Equals(name, _mainBranch, StringComparison.OrdinalIgnoreCase))
        {
            throw new PushRefusedException(name, $"'{name}' is the main branch; the runner pushes only its task branch.");
        }

        foreach (var (pattern, regex) in _protected)
        {
            if (regex.IsMatch(name))
            {
                throw new PushRefusedException(name, $"the branch matches the protected pattern '{pattern}'.");
            }
        }
    }

    private static Regex ToRegex(string pattern)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                builder.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                builder.Append("[^/]*");
            }
            else if (c == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }
}
