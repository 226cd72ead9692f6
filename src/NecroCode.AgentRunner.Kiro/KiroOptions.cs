using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>Settings of the Kiro coding agent (<c>kiro-cli chat --no-interactive</c>).</summary>
public sealed class KiroOptions
{
    /// <summary>The configuration section the command-line host binds these options to: <c>NecroCode:Kiro</c>.</summary>
    public const string SectionName = "NecroCode:Kiro";

    /// <summary>The Kiro CLI executable: a path, or a name looked up on <c>PATH</c>. Default <c>kiro-cli</c>.</summary>
    [Required]
    public string Command { get; set; } = "kiro-cli";

    /// <summary>Trust every tool (<c>--trust-all-tools</c>). Default true; set false and list <see cref="TrustedTools"/> to narrow it.</summary>
    public bool TrustAllTools { get; set; } = true;

    /// <summary>Tools trusted when <see cref="TrustAllTools"/> is false (<c>--trust-tools=a,b</c>).</summary>
    public IList<string> TrustedTools { get; } = [];

    /// <summary>A custom Kiro agent to use (<c>--agent NAME</c>); Kiro's default when null.</summary>
    public string? Agent { get; set; }

    /// <summary>The model to use (<c>--model NAME</c>); Kiro's default when null.</summary>
    public string? Model { get; set; }

    /// <summary>Extra arguments appended before the prompt.</summary>
    public IList<string> ExtraArguments { get; } = [];

    /// <summary>
    /// The run's secrets Kiro receives, by secret name, each with the environment variable it is put in. Default
    /// <c>kiro-api-key</c> → <c>KIRO_API_KEY</c>. They come from the run's credentials (<c>NecroCode:Credentials</c>:
    /// the file <c>kiro-api-key</c> in a secret-mount folder, or <c>NECROCODE_KIRO_API_KEY</c>); <c>UseKiro()</c> adds
    /// these names to <c>CredentialOptions.OptionalSecrets</c>, so they are fetched and masked. A variable filled from
    /// a secret wins over every other source. An entry with an empty variable is ignored.
    /// </summary>
    public IDictionary<string, string> SecretVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["kiro-api-key"] = KiroDescription.ApiKeyVariableName };

    /// <summary>
    /// The fallback for the API key: the runner's environment variable that holds it, read when no secret filled
    /// <c>KIRO_API_KEY</c>; it is handed to Kiro as <c>KIRO_API_KEY</c> and masked in every output. Default <c>KIRO_API_KEY</c>.
    /// </summary>
    [Required]
    public string ApiKeyVariable { get; set; } = "KIRO_API_KEY";

    /// <summary>Names of further runner environment variables passed through to Kiro (e.g. proxy settings).</summary>
    public IList<string> PassEnvironment { get; } = [];

    /// <summary>Longest one Kiro attempt may run; its whole process tree is stopped after that. Null: bounded only by the task timeout.</summary>
    public TimeSpan? Timeout { get; set; }
}
