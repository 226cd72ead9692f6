using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Claude Code headless: <c>claude -p PROMPT --output-format stream-json --verbose --permission-mode MODE [--model M]
/// [--allowedTools a,b] [extra…]</c>. Its stream-json messages become readable log lines; its final <c>result</c>
/// message decides the outcome together with the exit code (exit 0 with an error result is a failure), and its
/// tokens and cost are recorded.
/// </summary>
internal sealed class ClaudeCodeDescription(ClaudeCodeOptions options) : PresetAgentDescription<ClaudeCodeOptions>("claude-code", "Claude Code", options)
{
    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new ClaudeStreamJsonParser();

    /// <inheritdoc />
    protected override void AddArguments(List<string> arguments, string prompt)
    {
        arguments.AddRange(["-p", prompt, "--output-format", "stream-json", "--verbose", "--permission-mode", Options.PermissionMode]);
        AddModel(arguments);
        if (Options.AllowedTools.Count > 0)
        {
            arguments.Add("--allowedTools");
            arguments.Add(string.Join(',', Options.AllowedTools));
        }

        arguments.AddRange(Options.ExtraArguments);
    }
}
