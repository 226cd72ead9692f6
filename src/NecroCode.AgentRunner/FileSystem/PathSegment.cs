namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Checks names that become one path segment under a root (spec, task id, runner id, slot id, artifact
/// name), so that no input can reach outside the root.
/// </summary>
internal static class PathSegment
{
    /// <summary>Longest accepted segment, in characters (file systems allow 255 bytes).</summary>
    public const int MaxLength = 128;

    /// <summary>Returns <paramref name="value"/> when it is a safe single path segment.</summary>
    /// <param name="value">The name.</param>
    /// <param name="what">What it names, for the message (e.g. <c>task id</c>).</param>
    /// <param name="paramName">The parameter, for the exception.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentException">It is empty, too long, <c>.</c> or <c>..</c>, starts with a dot, or holds a separator, NUL or a control character.</exception>
    public static string Check(string? value, string what, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} is empty.", paramName);
        }

        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"The {what} '{Printable(value[..32])}…' is longer than {MaxLength} characters.", paramName);
        }

        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{Printable(value)}' must not contain '/' or '\\'.", paramName);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {what} '{Printable(value)}' must not contain NUL or other control characters.", paramName);
        }

        if (value[0] == '.' || value != value.Trim())
        {
            throw new ArgumentException($"The {what} '{Printable(value)}' must not start with '.' ('.' and '..' included) nor start or end with white space.", paramName);
        }

        return value;
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
