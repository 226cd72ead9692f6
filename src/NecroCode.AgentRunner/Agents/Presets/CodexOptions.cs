namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the OpenAI Codex preset: <c>codex exec --json [--full-auto] [--sandbox MODE]
/// [--skip-git-repo-check] [--model M] [extra…] PROMPT</c>.
/// </summary>
public sealed class CodexOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Codex</c>.</summary>
    public const string SectionName = "NecroCode:Codex";

    /// <summary>The sandbox modes Codex knows.</summary>
    public static readonly IReadOnlyList<string> SandboxModes = ["read-only", "workspace-write", "danger-full-access"];

    /// <summary>Creates the options with their defaults (<c>codex</c>; secret <c>openai-api-key</c>, else the runner's <c>OPENAI_API_KEY</c>).</summary>
    public CodexOptions()
    {
        Command = "codex";
        SecretVariables["openai-api-key"] = "OPENAI_API_KEY";
        ApiKeyVariables.Add("OPENAI_API_KEY");
    }

    /// <summary><c>--full-auto</c>: edits in a workspace-write sandbox without asking. Default true.</summary>
    public bool FullAuto { get; set; } = true;

    /// <summary><c>--sandbox MODE</c>, one of <see cref="SandboxModes"/>; omitted when null (default).</summary>
    public string? Sandbox { get; set; }

    /// <summary><c>--skip-git-repo-check</c>: run even when the workspace is not a git repository. Default false.</summary>
    public bool SkipGitRepoCheck { get; set; }
}
