using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// The result-file globs of <see cref="TestRunnerOptions.Results"/>: <c>**</c> any folders (none included), <c>*</c>
/// any part of a name, <c>?</c> one character; matched against paths relative to the workspace with <c>/</c>.
/// </summary>
internal sealed class ResultGlobs
{
    private readonly Regex[] _patterns;

    private ResultGlobs(IEnumerable<string> globs) =>
        _patterns = [.. globs.Select(g => new Regex(ToRegex(g), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))];

    /// <summary>The globs of a setting, separated by <c>;</c>.</summary>
    /// <param name="setting">The setting.</param>
    /// <returns>The globs, trimmed, empty ones left out.</returns>
    public static IReadOnlyList<string> Split(string? setting) =>
        (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Compiles the globs of a setting.</summary>
    /// <param name="setting">The setting.</param>
    /// <returns>The matcher.</returns>
    public static ResultGlobs Parse(string setting) => new(Split(setting));

    /// <summary>Whether a relative path matches any glob.</summary>
    /// <param name="relativePath">The path relative to the workspace, with <c>/</c>.</param>
    /// <returns>Whether it matches.</returns>
    public bool IsMatch(string relativePath) => _patterns.Any(p => p.IsMatch(relativePath));

    private static string ToRegex(string glob)
    {
        var text = new StringBuilder("^");
        var g = glob.Replace('\\', '/').TrimStart('/');
        for (var i = 0; i < g.Length; i++)
        {
            if (g[i] == '*' && i + 1 < g.Length && g[i + 1] == '*')
            {
                // "**/" matches no folder or any folders; a trailing "**" matches anything.
                if (i + 2 < g.Length && g[i + 2] == '/')
                {
                    text.Append("(?:[^/]*/)*");
                    i += 2;
                }
                else
                {
                    text.Append(".*");
                    i++;
                }
            }
            else
            {
                text.Append(g[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(g[i].ToString()),
                });
            }
        }

        return text.Append('$').ToString();
    }
}
