using System.Text;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Hands the HTTPS token to a git child process through its environment only: git 2.31+ reads
/// <c>GIT_CONFIG_COUNT</c>/<c>GIT_CONFIG_KEY_n</c>/<c>GIT_CONFIG_VALUE_n</c> as command-scoped configuration,
/// so <c>http.extraHeader = Authorization: Basic …</c> exists in the memory of that one process and
/// nowhere else (not the URL, <c>.git/config</c>, a credential helper, a file or the command line).
/// Every form of the token is registered with the <see cref="ISecretMasker"/> before it is used.
/// </summary>
/// <remarks>
/// The token is read on every call (from <see cref="GitOptions.TokenFile"/> when set, else from the
/// variable <see cref="GitOptions.TokenVariable"/>), so a rotated secret is picked up by the next
/// attempt. Credential helpers are switched off for these commands: a rejected token fails as an
/// authentication error instead of falling back to (or being stored in) a helper.
/// </remarks>
internal sealed class GitHttpCredentials(GitOptions options, ISecretMasker masker)
{
    /// <summary>The masker that knows every token handed out.</summary>
    public ISecretMasker Masker { get; } = masker;

    /// <summary>Returns the environment that authenticates git's HTTP requests, or null when no token is configured.</summary>
    /// <returns>The variables to add to the git child process.</returns>
    /// <exception cref="WorkspaceException">The token file is configured but cannot be read.</exception>
    public IReadOnlyDictionary<string, string>? GetEnvironment()
    {
        var token = ReadToken();
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{token}"));
        Masker.AddSecret(token);
        Masker.AddSecret(basic);
        Masker.AddSecret(Convert.ToBase64String(Encoding.UTF8.GetBytes(token)));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_CONFIG_COUNT"] = "2",
            ["GIT_CONFIG_KEY_0"] = "credential.helper",
            ["GIT_CONFIG_VALUE_0"] = "",
            ["GIT_CONFIG_KEY_1"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_1"] = $"Authorization: Basic {basic}",
        };
    }

    private string? ReadToken()
    {
        if (options.TokenFile is { Length: > 0 } file)
        {
            try
            {
                return File.ReadAllText(file).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new WorkspaceException($"The git token file '{file}' (GitOptions.TokenFile) cannot be read: {ex.Message}", ex);
            }
        }

        return Environment.GetEnvironmentVariable(options.TokenVariable)?.Trim();
    }
}
