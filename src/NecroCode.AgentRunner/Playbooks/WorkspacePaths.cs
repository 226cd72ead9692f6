namespace NecroCode.AgentRunner.Playbooks;

/// <summary>Keeps paths given by a playbook inside the workspace: relative, no climbing out, no symbolic link out.</summary>
internal static class WorkspacePaths
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Checks a relative path by its text alone.</summary>
    /// <returns>Why it is refused, or null when it stays inside the workspace.</returns>
    public static string? Check(string relative)
    {
        if (relative.Length == 0)
        {
            return "the path is empty.";
        }

        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            return "the path contains a NUL character.";
        }

        if (Path.IsPathRooted(relative) || relative[0] is '/' or '\\' || relative.StartsWith('~'))
        {
            return $"'{relative}' is not relative to the workspace.";
        }

        var depth = 0;
        foreach (var part in relative.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                depth--;
                if (depth < 0)
                {
                    return $"'{relative}' leads outside the workspace.";
                }
            }
            else if (part != ".")
            {
                depth++;
            }
        }

        return null;
    }

    /// <summary>Resolves a checked relative path under the workspace, following symbolic links.</summary>
    /// <returns>The full path, or null when it (or a link on the way) leads outside the workspace.</returns>
    public static string? Resolve(string workspace, string relative)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var realRoot = RealPath(root);
        var current = realRoot;
        foreach (var part in relative.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            current = part == ".." ? Path.GetDirectoryName(current) ?? current : Path.Combine(current, part);
            current = RealPath(current);
            if (!IsInside(realRoot, current))
            {
                return null;
            }
        }

        return current;
    }

    private static string RealPath(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                return Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
            }
        }
        catch (IOException)
        {
            // A link loop or an unreadable entry: keep the path as written; it then does not exist.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }

        return path;
    }

    private static bool IsInside(string root, string path) =>
        string.Equals(path, root, StringComparison.Ordinal) ||
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
