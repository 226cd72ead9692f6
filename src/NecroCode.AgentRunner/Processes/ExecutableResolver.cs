namespace NecroCode.AgentRunner.Processes;

/// <summary>Finds the program of a <see cref="ProcessSpec"/> the way <c>execvp</c> would, before anything starts.</summary>
internal static class ExecutableResolver
{
    /// <summary>
    /// Resolves <paramref name="fileName"/>: a name with a slash is taken relative to the working directory
    /// (where the child starts), a bare name is looked up on <paramref name="searchPath"/>.
    /// </summary>
    /// <returns>The full path of an existing executable file.</returns>
    /// <exception cref="ProcessStartException">Not found, or not executable.</exception>
    public static string Resolve(string fileName, string workingDirectory, string? searchPath)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            throw new ProcessStartException(fileName ?? "", "the program name is empty.");
        }

        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            if (!File.Exists(full))
            {
                throw new ProcessStartException(fileName, $"the file '{full}' does not exist.");
            }

            return IsExecutable(full) ? full : throw new ProcessStartException(fileName, $"the file '{full}' is not executable.");
        }

        foreach (var directory in (searchPath ?? "").Split(':'))
        {
            var folder = directory.Length == 0 ? workingDirectory : Path.GetFullPath(directory, workingDirectory);
            var candidate = Path.Combine(folder, fileName);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new ProcessStartException(fileName, $"no executable named '{fileName}' on PATH '{searchPath}'.");
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
