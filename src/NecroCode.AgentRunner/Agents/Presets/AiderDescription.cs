using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Aider headless: <c>aider --message PROMPT --yes-always --no-auto-commits --no-dirty-commits [--no-gitignore
/// --no-check-update --no-show-release-notes --chat-history-file /dev/null --input-history-file /dev/null] [--model M]
/// [extra…]</c>. Its text output is streamed as it is; its <c>Tokens: … sent, … received. Cost: $… message</c> lines
/// are summed into the usage. The exit code decides.
/// </summary>
internal sealed class AiderDescription(AiderOptions options) : PresetAgentDescription<AiderOptions>("aider", "Aider", options)
{
    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new AiderOutputParser();

    /// <inheritdoc />
    protected override void AddArguments(List<string> arguments, string prompt)
    {
        arguments.AddRange(["--message", prompt, "--yes-always", "--no-auto-commits", "--no-dirty-commits"]);
        if (Options.KeepWorkspaceClean)
        {
            arguments.AddRange(["--no-gitignore", "--no-check-update", "--no-show-release-notes", "--chat-history-file", "/dev/null", "--input-history-file", "/dev/null"]);
        }

        AddModel(arguments);
        arguments.AddRange(Options.ExtraArguments);
    }
}
