namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the Aider preset: <c>aider --message PROMPT --yes-always --no-auto-commits --no-dirty-commits
/// [workspace hygiene flags] [--model M] [extra…]</c>.
/// </summary>
public sealed class AiderOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Aider</c>.</summary>
    public const string SectionName = "NecroCode:Aider";

    /// <summary>
    /// Creates the options with their defaults (<c>aider</c>; the common providers' keys: secrets <c>anthropic-api-key</c>,
    /// <c>openai-api-key</c>, <c>gemini-api-key</c>, <c>deepseek-api-key</c>, <c>openrouter-api-key</c>, else the runner's
    /// variables of the same names in upper case).
    /// </summary>
    public AiderOptions()
    {
        Command = "aider";
        foreach (var (secret, variable) in (ReadOnlySpan<(string, string)>)[
            ("anthropic-api-key", "ANTHROPIC_API_KEY"),
            ("openai-api-key", "OPENAI_API_KEY"),
            ("gemini-api-key", "GEMINI_API_KEY"),
            ("deepseek-api-key", "DEEPSEEK_API_KEY"),
            ("openrouter-api-key", "OPENROUTER_API_KEY")])
        {
            SecretVariables[secret] = variable;
            ApiKeyVariables.Add(variable);
        }
    }

    /// <summary>
    /// Keep Aider's own files out of the change: <c>--no-gitignore --no-check-update --no-show-release-notes
    /// --chat-history-file /dev/null --input-history-file /dev/null</c>. Default true.
    /// </summary>
    public bool KeepWorkspaceClean { get; set; } = true;
}
