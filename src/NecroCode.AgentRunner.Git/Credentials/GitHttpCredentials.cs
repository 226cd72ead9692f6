using System.Text;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Hands the HTTPS token to a git child process through its environment only: git 2.31+ reads
/// <c>GIT_CONFIG_COUNT</c>/<c>GIT_CONFIG_KEY_n</c>/<c>GIT_CONFIG_VALUE_n</c> as command-scoped configuration,
/// so <c>http.&lt;url&gt;.extraHeader = Authorization: Basic …</c> exists in the memory of that one process and
/// nowhere else (not the URL, <c>.git/config</c>, a credential helper, a file or the command line). The header is
/// scoped to the one URL the runner recorded for origin: git sends it to no other host, whatever the URL is
/// rewritten to. Every form of the token is registered with the <see cref="ISecretMasker"/> before it is used.
/// </summary>
/// <remarks>
/// The token is looked up on every call, in this order: the run's secret named <see cref="GitOptions.TokenSecret"/>,
/// the file <see cref="GitOptions.TokenFile"/> when set, the variable <see cref="GitOptions.TokenVariable"/>; so a
/// rotated secret is picked up by the next attempt. Credential helpers are switched off for these commands: a
/// rejected token fails as an authentication error instead of falling back to (or being stored in) a helper.
/// Remotes that are not <c>http://</c> or <c>https://</c> URLs get no header.
/// </remarks>
internal sealed class GitHttpCredentials(GitOptions options, ISecretMasker masker)
{
    /// <summary>The masker that knows every token handed out.</summary>
    public ISecretMasker Masker { get; } = masker;

    /// <summary>
    /// Returns the environment that authenticates git's HTTP requests to <paramref name="url"/>, or null when
    /// the URL is not an HTTP one or no token is configured.
    /// </summary>
    /// <param name="url">The URL git is about to fetch from or push to.</param>
    /// <param name="secrets">The run's secrets.</param>
    /// <returns>The variables to add to the git child process.</returns>
    /// <exception cref="WorkspaceException">The token file is configured but cannot be read.</exception>
    public IReadOnlyDictionary<string, string>? GetEnvironment(string url, IRunSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(secrets);
        if (ScopeOf(url) is not { } scope)
        {
            return null;
        }

        var token = ReadToken(secrets);
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
            ["GIT_CONFIG_KEY_1"] = $"http.{scope}.extraHeader",
            ["GIT_CONFIG_VALUE_1"] = $"Authorization: Basic {basic}",
        };
    }

    /// <summary>
    /// The URL an <c>http.&lt;url&gt;.*</c> setting is scoped to: <paramref name="url"/> without user information
    /// (git matches a setting without a user name for every user). Null when it is not an HTTP(S) URL.
    /// </summary>
    /// <param name="url">The remote URL.</param>
    /// <returns>The scope, or null.</returns>
    internal static string? ScopeOf(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var pathStart = url.IndexOf('/', authorityStart);
        var authority = pathStart < 0 ? url[authorityStart..] : url[authorityStart..pathStart];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        return $"{url[..authorityStart]}{authority}{(pathStart < 0 ? "" : url[pathStart..])}";
    }

    private string? ReadToken(IRunSecrets secrets)
    {
        if (secrets.TryReveal(options.TokenSecret, out var secret) && secret.Trim() is { Length: > 0 } fromRun)
        {
            return fromRun;
        }

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
