namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Settings of the GitHub Copilot CLI preset: <c>copilot -p PROMPT (--allow-all-tools | --allow-tool T…)
/// [--deny-tool T…] [--model M] [extra…]</c>.
/// </summary>
public sealed class CopilotCliOptions : PresetAgentOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:CopilotCli</c>.</summary>
    public const string SectionName = "NecroCode:CopilotCli";

    /// <summary>
    /// Creates the options with their defaults (<c>copilot</c>; secret <c>copilot-github-token</c> as
    /// <c>COPILOT_GITHUB_TOKEN</c>, else the runner's <c>COPILOT_GITHUB_TOKEN</c>, <c>GH_TOKEN</c>, <c>GITHUB_TOKEN</c>).
    /// The runner's push credential (<c>git-token</c>) is not given to the agent unless mapped here.
    /// </summary>
    public CopilotCliOptions()
    {
        Command = "copilot";
        SecretVariables["copilot-github-token"] = "COPILOT_GITHUB_TOKEN";
        ApiKeyVariables.Add("COPILOT_GITHUB_TOKEN");
        ApiKeyVariables.Add("GH_TOKEN");
        ApiKeyVariables.Add("GITHUB_TOKEN");
    }

    /// <summary><c>--allow-all-tools</c>. Default true; set false and list <see cref="AllowedTools"/> to narrow it.</summary>
    public bool AllowAllTools { get; set; } = true;

    /// <summary>Tools allowed when <see cref="AllowAllTools"/> is false, each passed as <c>--allow-tool T</c>, e.g. <c>write</c> or <c>shell(dotnet test)</c>.</summary>
    public IList<string> AllowedTools { get; } = [];

    /// <summary>Tools always refused, each passed as <c>--deny-tool T</c>, e.g. <c>shell(git push)</c>.</summary>
    public IList<string> DeniedTools { get; } = [];
}
