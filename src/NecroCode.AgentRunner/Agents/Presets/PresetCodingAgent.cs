using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>A preset as the coding agent: the command-line agent engine running the description of its options.</summary>
/// <typeparam name="TOptions">The preset's options, which name the preset.</typeparam>
internal sealed class PresetCodingAgent<TOptions>(IProcessRunner processes, ISecretMasker masker, IOptions<TOptions> options, ILogger<PresetCodingAgent<TOptions>> logger)
    : CommandLineCodingAgent(Describe(options.Value), processes, masker, logger)
    where TOptions : PresetAgentOptions
{
    private static CommandLineAgentDescription Describe(PresetAgentOptions options) => options switch
    {
        ClaudeCodeOptions claudeCode => new ClaudeCodeDescription(claudeCode),
        CodexOptions codex => new CodexDescription(codex),
        GeminiCliOptions geminiCli => new GeminiCliDescription(geminiCli),
        AiderOptions aider => new AiderDescription(aider),
        CopilotCliOptions copilotCli => new CopilotCliDescription(copilotCli),
        _ => throw new ArgumentException($"{options.GetType().Name} names no preset.", nameof(options)),
    };
}
