using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// The GitHub Copilot CLI headless: <c>copilot -p PROMPT (--allow-all-tools | --allow-tool T…) [--deny-tool T…]
/// [--model M] [extra…]</c>. Its text output is streamed as it is (no usage is read); the exit code decides.
/// </summary>
internal sealed class CopilotCliDescription(CopilotCliOptions options) : PresetAgentDescription<CopilotCliOptions>("copilot-cli", "Copilot CLI", options)
{
    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new PlainTextOutputParser();

    /// <inheritdoc />
    protected override void AddArguments(List<string> arguments, string prompt)
    {
        arguments.AddRange(["-p", prompt]);
        if (Options.AllowAllTools)
        {
            arguments.Add("--allow-all-tools");
        }
        else
        {
            arguments.AddRange(Options.AllowedTools.SelectMany(tool => (string[])["--allow-tool", tool]));
        }

        arguments.AddRange(Options.DeniedTools.SelectMany(tool => (string[])["--deny-tool", tool]));
        AddModel(arguments);
        arguments.AddRange(Options.ExtraArguments);
    }
}
