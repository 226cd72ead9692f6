using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Gemini CLI headless: <c>gemini -p PROMPT --output-format stream-json (--yolo | --approval-mode MODE) [--model M]
/// [extra…]</c>. Its stream-json events become readable log lines; its final <c>result</c> event decides the outcome
/// together with the exit code, and its tokens are recorded.
/// </summary>
internal sealed class GeminiCliDescription(GeminiCliOptions options) : PresetAgentDescription<GeminiCliOptions>("gemini-cli", "Gemini CLI", options)
{
    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new GeminiStreamJsonParser();

    /// <inheritdoc />
    protected override void AddArguments(List<string> arguments, string prompt)
    {
        arguments.AddRange(["-p", prompt, "--output-format", "stream-json"]);
        arguments.AddRange(Options.ApprovalMode == "yolo" ? ["--yolo"] : ["--approval-mode", Options.ApprovalMode]);
        AddModel(arguments);
        arguments.AddRange(Options.ExtraArguments);
    }
}
