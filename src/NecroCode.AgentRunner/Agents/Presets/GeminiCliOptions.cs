namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the Gemini CLI preset: <c>gemini -p PROMPT --output-format stream-json
/// (--yolo | --approval-mode MODE) [--model M] [extra…]</c>.
/// </summary>
public sealed class GeminiCliOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:GeminiCli</c>.</summary>
    public const string SectionName = "NecroCode:GeminiCli";

    /// <summary>The approval modes Gemini CLI knows.</summary>
    public static readonly IReadOnlyList<string> ApprovalModes = ["default", "auto_edit", "yolo", "plan"];

    /// <summary>Creates the options with their defaults (<c>gemini</c>; secret <c>gemini-api-key</c>, else the runner's <c>GEMINI_API_KEY</c>).</summary>
    public GeminiCliOptions()
    {
        Command = "gemini";
        SecretVariables["gemini-api-key"] = "GEMINI_API_KEY";
        ApiKeyVariables.Add("GEMINI_API_KEY");
    }

    /// <summary>
    /// One of <see cref="ApprovalModes"/>. Default <c>yolo</c>, passed as <c>--yolo</c> (every tool call approved);
    /// any other mode is passed as <c>--approval-mode MODE</c>.
    /// </summary>
    public string ApprovalMode { get; set; } = "yolo";
}
