using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Agents;

/// <summary>Settings of <see cref="CommandCodingAgent"/>: the command that implements a task.</summary>
public sealed class CommandAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Agent</c>.</summary>
    public const string SectionName = "NecroCode:Agent";

    /// <summary>
    /// The program to run (a name looked up on <c>PATH</c>, or a path; a relative path is taken from the
    /// workspace). Required.
    /// </summary>
    [Required]
    public string Command { get; set; } = "";

    /// <summary>
    /// Arguments, each passed as one argument (never through a shell). Placeholders: <c>{prompt-file}</c>,
    /// <c>{prompt}</c>, <c>{workspace}</c>, <c>{task-id}</c>, <c>{spec}</c>, <c>{attempt}</c>.
    /// </summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>How the prompt reaches the command. Default <see cref="PromptMode.Stdin"/>.</summary>
    public PromptMode PromptMode { get; set; } = PromptMode.Stdin;

    /// <summary>Variables set for the command. It gets only these, the ones named in <see cref="PassEnvironment"/> and <see cref="SecretVariables"/>,
    /// <c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>TMPDIR</c> and the <c>NECROCODE_*</c> task variables.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Names of the runner's environment variables passed through to the command (e.g. an API key).</summary>
    public List<string> PassEnvironment { get; set; } = [];

    /// <summary>
    /// The run's secrets the command receives, by secret name, each with the environment variable it is put in
    /// (for example <c>openai-api-key</c> → <c>OPENAI_API_KEY</c>). They come from the run's credentials
    /// (<c>NecroCode:Credentials</c>: a secret-mount folder or <c>NECROCODE_*</c> variables), which fetch and mask
    /// them; a variable filled from a secret wins over <see cref="Environment"/> and <see cref="PassEnvironment"/>.
    /// An entry with an empty variable is ignored. Default none.
    /// </summary>
    public Dictionary<string, string> SecretVariables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Longest an attempt may run; the agent's process tree is stopped after that. Null: bounded only by the task (default).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Characters of the agent's stdout and stderr kept for its result (the tail). Default 64 KiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int OutputCaptureLimit { get; set; } = 64 * 1024;
}
