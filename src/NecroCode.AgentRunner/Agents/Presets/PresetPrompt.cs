namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>Makes a prompt safe to pass as one command-line argument.</summary>
internal static class PresetPrompt
{
    /// <summary>
    /// The prompt as an argument: one that begins with <c>-</c> gets a leading line break, so that no agent's
    /// option parser reads it as an option.
    /// </summary>
    public static string AsArgument(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return prompt.StartsWith('-') ? "\n" + prompt : prompt;
    }
}
