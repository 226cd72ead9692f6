namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>One attempt of a preset agent: who it is, its settings, its arguments and how its output reads.</summary>
/// <param name="Agent">The agent's short name (metrics tag), e.g. <c>claude-code</c>.</param>
/// <param name="DisplayName">The agent's name in messages, e.g. <c>Claude Code</c>.</param>
/// <param name="OptionsName">The options type, named in hints (e.g. <c>ClaudeCodeOptions</c>).</param>
/// <param name="Options">The agent's settings.</param>
/// <param name="Arguments">The full argument list.</param>
/// <param name="Parser">A fresh parser for this attempt's output.</param>
internal sealed record PresetInvocation(
    string Agent,
    string DisplayName,
    string OptionsName,
    PresetAgentOptions Options,
    IReadOnlyList<string> Arguments,
    AgentOutputParser Parser);
