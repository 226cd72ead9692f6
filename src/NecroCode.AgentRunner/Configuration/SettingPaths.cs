using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Configuration;

/// <summary>Rewrites validation messages that name options members (<c>GitOptions.PushAttempts</c>) to name settings.</summary>
internal static partial class SettingPaths
{
    /// <summary>
    /// Replaces each <c>TypeName.Member[.Member…]</c> in <paramref name="failure"/> by <c>path:Member[:Member…]</c>, and
    /// drops the <c>Member: </c> prefix the generated validators put before a message that now names the path.
    /// </summary>
    /// <param name="failure">The validation failure.</param>
    /// <param name="typeName">The options class's name, e.g. <c>GitOptions</c>.</param>
    /// <param name="path">The section's configuration path, e.g. <c>NecroCode:Git</c>.</param>
    /// <returns>The message naming settings.</returns>
    public static string Rewrite(string failure, string typeName, string path)
    {
        var rewritten = Regex.Replace(
            failure,
            @"\b" + Regex.Escape(typeName) + @"\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)",
            m => path + ":" + m.Groups[1].Value.Replace('.', ':'),
            RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
        var prefix = MemberPrefix().Match(rewritten);
        return prefix.Success && rewritten.Contains(path + ":" + prefix.Groups[1].Value, StringComparison.Ordinal)
            ? rewritten[prefix.Length..]
            : rewritten;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*): ", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPrefix();
}
