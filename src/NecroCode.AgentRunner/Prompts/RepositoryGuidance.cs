using System.Globalization;
using System.Text;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// Reads the repository's guidance files (<see cref="PromptOptions.GuidanceFiles"/>) from a workspace, in a
/// deterministic order, within <see cref="PromptOptions.MaxGuidanceCharacters"/>.
/// </summary>
internal static class RepositoryGuidance
{
    /// <summary>The guidance as prompt text: each file under a <c>### path</c> heading; empty when there is none.</summary>
    public static string Render(string workspacePath, PromptOptions options)
    {
        var files = Find(workspacePath, options.GuidanceFiles);
        var text = new StringBuilder();
        var left = options.MaxGuidanceCharacters;
        for (var i = 0; i < files.Count; i++)
        {
            var (relative, content) = files[i];
            content = content.ReplaceLineEndings("\n").Trim('\n');
            if (content.Length == 0)
            {
                continue;
            }

            if (left <= 0)
            {
                var skipped = files.Skip(i).Where(f => f.Content.Trim().Length > 0).Select(f => f.Path);
                text.Append(CultureInfo.InvariantCulture, $"(Left out, over the guidance limit of {options.MaxGuidanceCharacters} characters: {string.Join(", ", skipped)}.)").Append('\n');
                break;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append("### ").Append(relative).Append("\n\n");
            if (content.Length > left)
            {
                text.Append(content.AsSpan(0, left)).Append('\n')
                    .Append(CultureInfo.InvariantCulture, $"(Cut here: the guidance limit of {options.MaxGuidanceCharacters} characters was reached.)").Append('\n');
                left = 0;
                continue;
            }

            text.Append(content).Append('\n');
            left -= content.Length;
        }

        return text.ToString();
    }

    /// <summary>The files matched by <paramref name="patterns"/>, with their text, in pattern order and then ordinal path order.</summary>
    public static List<(string Path, string Content)> Find(string workspacePath, IEnumerable<string> patterns)
    {
        var found = new List<(string, string)>();
        if (!Directory.Exists(workspacePath))
        {
            return found;
        }

        var root = RealPath.Resolve(workspacePath);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            foreach (var relative in Match(root, pattern))
            {
                if (!seen.Add(relative))
                {
                    continue;
                }

                var path = Path.Join(root, relative);
                string real;
                try
                {
                    real = RealPath.Resolve(path);
                }
                catch (IOException)
                {
                    continue;
                }

                if (!RealPath.IsInside(real, root) || !File.Exists(real))
                {
                    continue;
                }

                try
                {
                    found.Add((relative, File.ReadAllText(real, Encoding.UTF8)));
                }
                catch (IOException)
                {
                    // A file that cannot be read is left out, like a missing one.
                }
                catch (UnauthorizedAccessException)
                {
                    // Likewise.
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> Match(string root, string pattern)
    {
        var normalized = pattern.Replace('\\', '/').TrimStart('/');
        var slash = normalized.LastIndexOf('/');
        var folder = slash < 0 ? "" : normalized[..slash];
        var name = slash < 0 ? normalized : normalized[(slash + 1)..];
        var directory = Path.Join(root, folder);
        if (name.Length == 0 || !Directory.Exists(directory))
        {
            return [];
        }

        if (!name.Contains('*', StringComparison.Ordinal))
        {
            return File.Exists(Path.Join(directory, name)) ? [normalized] : [];
        }

        return Directory.EnumerateFiles(directory, name, new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false, MatchCasing = MatchCasing.CaseSensitive })
            .Select(f => folder.Length == 0 ? Path.GetFileName(f) : folder + "/" + Path.GetFileName(f))
            .Order(StringComparer.Ordinal);
    }
}
