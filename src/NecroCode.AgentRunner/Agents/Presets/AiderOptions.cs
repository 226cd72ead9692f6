namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the Aider preset: <c>aider --message PROMPT --yes-always --no-auto-commits --no-dirty-commits
/// [workspace hygiene flags] [--model M] [extra…]</c>.
/// </summary>
public sealed class AiderOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Aider</c>.</summary>
    public const string SectionName = "NecroCode:Aider";

    /// <summary>Creates the options with their defaults (<c>aider</c>; the common providers' key variables).</summary>
    public AiderOptions()
    {
        Command = "aider";
        foreach (var name in (string[])["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "DEEPSEEK_API_KEY", "OPENROUTER_API_KEY"])
        {
            ApiKeyVariables.Add(name);
        }
    }

    /// <summary>
    /// Keep Aider's own files out of the change: <c>--no-gitignore --no-check-update --no-show-release-notes
    /// --chat-history-file /dev/null --input-history-file /dev/null</c>. Default true.
    /// </summary>
    public bool KeepWorkspaceClean { get; set; } = true;
}
