using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the Claude Code preset: <c>claude -p PROMPT --output-format stream-json --verbose
/// --permission-mode MODE [--model M] [--allowedTools a,b] [extra…]</c>.
/// </summary>
public sealed class ClaudeCodeOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:ClaudeCode</c>.</summary>
    public const string SectionName = "NecroCode:ClaudeCode";

    /// <summary>The permission modes Claude Code knows.</summary>
    public static readonly IReadOnlyList<string> PermissionModes = ["default", "acceptEdits", "plan", "bypassPermissions", "dontAsk"];

    /// <summary>Creates the options with their defaults (<c>claude</c>; secret <c>anthropic-api-key</c>, else the runner's <c>ANTHROPIC_API_KEY</c>).</summary>
    public ClaudeCodeOptions()
    {
        Command = "claude";
        SecretVariables["anthropic-api-key"] = "ANTHROPIC_API_KEY";
        ApiKeyVariables.Add("ANTHROPIC_API_KEY");
    }

    /// <summary>
    /// <c>--permission-mode</c>: one of <see cref="PermissionModes"/>. Default <c>acceptEdits</c> (file edits allowed;
    /// shell commands only when listed in <see cref="AllowedTools"/>).
    /// </summary>
    [Required]
    public string PermissionMode { get; set; } = "acceptEdits";

    /// <summary>Tools allowed without asking (<c>--allowedTools a,b</c>), e.g. <c>Bash(dotnet test:*)</c>; omitted when empty.</summary>
    public IList<string> AllowedTools { get; } = [];
}
