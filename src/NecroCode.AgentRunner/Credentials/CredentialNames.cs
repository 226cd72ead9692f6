namespace NecroCode.AgentRunner.Credentials;

/// <summary>Rules for secret names and the environment variable names derived from them.</summary>
internal static class CredentialNames
{
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 255 && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool IsValidVariable(string? name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary><c>git-token</c> with prefix <c>NECROCODE_</c> is <c>NECROCODE_GIT_TOKEN</c>.</summary>
    public static string ConventionalVariable(string prefix, string name) =>
        prefix + name.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    public static void ThrowIfInvalid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a secret name (letters, digits, '-', '_', '.'; not starting with '.').", nameof(name));
        }
    }
}
