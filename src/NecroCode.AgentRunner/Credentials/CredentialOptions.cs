using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// Where the runner's credentials come from and which of them a run needs. A secret called <c>git-token</c>
/// is read from the file <c>git-token</c> in <see cref="SecretDirectory"/> or from the environment variable
/// <c>NECROCODE_GIT_TOKEN</c>, unless <see cref="Files"/> or <see cref="Environment"/> name others.
/// </summary>
public sealed class CredentialOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Credentials</c>.</summary>
    public const string SectionName = "NecroCode:Credentials";

    /// <summary>The default of <see cref="MaxSecretFileBytes"/>: 64 KiB.</summary>
    public const int DefaultMaxSecretFileBytes = 64 * 1024;

    /// <summary>Names of the secrets every run fetches at its start; a missing one fails the start. Default none.</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>Names of secrets fetched at the start of a run when present (absent ones are skipped). Default none.</summary>
    public List<string> OptionalSecrets { get; set; } = [];

    /// <summary>
    /// The folder holding one file per secret, as Kubernetes and Docker mount secrets. Null (default): no
    /// files are read. Symlinks inside the folder (as Kubernetes uses them) are followed; one that leads out of it is refused.
    /// </summary>
    public string? SecretDirectory { get; set; }

    /// <summary>File names in <see cref="SecretDirectory"/> by secret name; a secret not listed is read from the file of its own name.</summary>
    public Dictionary<string, string> Files { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Environment variable names by secret name; a secret not listed is read from <see cref="EnvironmentPrefix"/> + its name in upper case with <c>-</c> and <c>.</c> as <c>_</c>.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The prefix of the conventional environment variable names. Default <c>NECROCODE_</c>; empty: only <see cref="Environment"/> is used.</summary>
    public string EnvironmentPrefix { get; set; } = "NECROCODE_";

    /// <summary>
    /// The order the sources are asked in; the first that has a secret wins. Null (default):
    /// <see cref="CredentialSource.SecretFile"/>, then <see cref="CredentialSource.Environment"/>.
    /// </summary>
    public IList<CredentialSource>? Order { get; set; }

    /// <summary>The largest secret file read, in bytes; a larger one is refused. Default 64 KiB.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxSecretFileBytes { get; set; } = DefaultMaxSecretFileBytes;

    /// <summary>The effective <see cref="Order"/>.</summary>
    internal IReadOnlyList<CredentialSource> EffectiveOrder =>
        Order is { Count: > 0 } order ? [.. order] : [CredentialSource.SecretFile, CredentialSource.Environment];
}
