using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>Settings every preset agent shares: the executable, model, extra arguments, environment and timeout.</summary>
public abstract class PresetAgentOptions
{
    /// <summary>The agent's executable: a path, or a name looked up on <c>PATH</c>.</summary>
    [Required]
    public string Command { get; set; } = "";

    /// <summary>The model to use (<c>--model NAME</c>); the agent's default when null.</summary>
    public string? Model { get; set; }

    /// <summary>Extra arguments, appended after the preset's own (each passed as one argument).</summary>
    public IList<string> ExtraArguments { get; } = [];

    /// <summary>
    /// The run's secrets the agent receives, by secret name, each with the agent's environment variable it is put in
    /// (for example <c>anthropic-api-key</c> → <c>ANTHROPIC_API_KEY</c>). They come from the run's credentials
    /// (<c>NecroCode:Credentials</c>: a secret-mount folder or <c>NECROCODE_*</c> variables); registering the agent
    /// adds these names to <c>CredentialOptions.OptionalSecrets</c>, so they are fetched and masked. An entry with an
    /// empty variable is ignored. Each preset sets its provider's key by default.
    /// </summary>
    /// <remarks>
    /// A variable filled from a secret wins; a variable no secret filled falls back to the runner's own environment
    /// variable of that name when it is listed in <see cref="ApiKeyVariables"/>.
    /// </remarks>
    public IDictionary<string, string> SecretVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Names of the runner's environment variables that hold the agent's credentials, the fallback when no secret of
    /// <see cref="SecretVariables"/> fills the variable. Each one that is set is passed through under the same name and
    /// its value is masked in every output.
    /// </summary>
    public IList<string> ApiKeyVariables { get; } = [];

    /// <summary>Names of further runner environment variables passed through (e.g. proxy settings); not masked.</summary>
    public IList<string> PassEnvironment { get; } = [];

    /// <summary>Variables set for the agent. Besides these it gets only the passed-through ones, <c>PATH</c>, <c>HOME</c>,
    /// <c>LANG</c>, <c>TMPDIR</c> and the <c>NECROCODE_*</c> task variables.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Longest one attempt may run; the agent's whole process tree is stopped after that. Null: bounded only by the task.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Characters of the end of the agent's stdout and stderr kept for its result. Default 64 KiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int OutputCaptureLimit { get; set; } = 64 * 1024;
}
