using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// The host folder of secret files a run out of process gets (mounted read-only, one secret a file, named as the
/// runner inside fetches them: letters, digits, '-', '_', '.', not starting with '.'). Secrets reach the runner inside
/// only as these files, never as variables; the host's masker learns the same values, and the host reads them itself
/// when it checks a reported push.
/// </summary>
public sealed class RemoteSecretFolder
{
    /// <summary>Where the runner inside sees the folder unless told otherwise: <c>/necrocode/secrets</c>.</summary>
    public const string DefaultMountPath = "/necrocode/secrets";

    /// <summary>The largest secret file the host's masker learns (the runner inside refuses larger ones by default too).</summary>
    private const int MaxSecretFileBytes = 64 * 1024;

    private const string OptionalSecretPrefix = "NecroCode__Credentials__OptionalSecrets__";
    private readonly string? _path;

    /// <summary>Creates the folder's view.</summary>
    /// <param name="path">The folder on the host; null or empty: the run gets no secrets.</param>
    /// <param name="setting">The setting that names the folder (e.g. <c>NecroCode:Docker:SecretsPath</c>), for messages.</param>
    /// <exception cref="ArgumentException"><paramref name="setting"/> is empty.</exception>
    public RemoteSecretFolder(string? path, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);
        _path = string.IsNullOrEmpty(path) ? null : path;
        Setting = setting;
    }

    /// <summary>The folder on the host (absolute); null when the run gets no secrets.</summary>
    public string? HostPath => _path is null ? null : Path.GetFullPath(_path);

    /// <summary>The setting that names the folder, for messages.</summary>
    public string Setting { get; }

    /// <summary>
    /// The names of the secret files, in ordinal order; none without the folder. Files whose names the runner inside
    /// could not fetch are left out.
    /// </summary>
    /// <returns>The names.</returns>
    public IReadOnlyList<string> Names()
    {
        if (_path is null || !Directory.Exists(_path))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(_path).Select(Path.GetFileName).OfType<string>().Where(IsSecretName).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Lets <paramref name="masker"/> learn the value of every secret file (up to 64 KiB each, without its trailing
    /// newline), so that nothing the host reads back from the run shows one.
    /// </summary>
    /// <param name="masker">The host's masker; null: nothing is learned.</param>
    /// <returns>The names of the secret files (<see cref="Names"/>).</returns>
    /// <exception cref="IOException">A secret file could not be read.</exception>
    public IReadOnlyList<string> Learn(ISecretMasker? masker)
    {
        var names = Names();
        if (masker is null)
        {
            return names;
        }

        foreach (var file in names.Select(name => Path.Combine(_path!, name)))
        {
            if (new FileInfo(file).Length <= MaxSecretFileBytes)
            {
                var value = File.ReadAllText(file).TrimEnd('\r', '\n');
                if (value.Length > 0)
                {
                    masker.AddSecret(value);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Adds the settings that make the runner inside load (and so mask) the mounted secrets: the folder as its secret
    /// directory, and each file's <em>name</em> (never its value) as an optional secret after any configured ones
    /// (<c>NecroCode__Credentials__OptionalSecrets__i</c>). Adds nothing without a folder.
    /// </summary>
    /// <param name="variables">The runner's environment variables, completed here.</param>
    /// <param name="names">The secret files' names (<see cref="Learn"/>).</param>
    /// <param name="mountPath">Where the runner inside sees the folder.</param>
    public void AddRunnerVariables(IDictionary<string, string> variables, IReadOnlyList<string> names, string mountPath = DefaultMountPath)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(names);
        if (_path is null)
        {
            return;
        }

        variables["NecroCode__Credentials__SecretDirectory"] = mountPath;
        var next = NextOptionalSecretIndex(variables.Keys);
        foreach (var name in names)
        {
            variables[OptionalSecretPrefix + next++.ToString(CultureInfo.InvariantCulture)] = name;
        }
    }

    /// <summary>
    /// The host's own copy of the run's credentials: every secret file, read by the runner's secret-file reader (links
    /// kept inside the folder, size-limited) and registered with the masker; null without secret files. The caller
    /// wipes them as soon as it is done.
    /// </summary>
    internal async Task<RunCredentials?> OpenCredentialsAsync(ISecretMasker? masker, ILogger logger, CancellationToken cancellationToken)
    {
        var names = Names();
        if (names.Count == 0)
        {
            return null;
        }

        var provider = new SecretFileCredentialProvider(Options.Create(new CredentialOptions { SecretDirectory = _path }));
        return await RunCredentials.OpenAsync(provider, [], names, masker ?? new SecretMasker(), logger, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSecretName(string name) =>
        name.Length is > 0 and <= 255 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The first free index after the <c>NecroCode__Credentials__OptionalSecrets__i</c> variables already set.</summary>
    private static int NextOptionalSecretIndex(IEnumerable<string> variables)
    {
        var next = 0;
        foreach (var name in variables)
        {
            if (name.StartsWith(OptionalSecretPrefix, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(name.AsSpan(OptionalSecretPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                next = Math.Max(next, index + 1);
            }
        }

        return next;
    }
}
