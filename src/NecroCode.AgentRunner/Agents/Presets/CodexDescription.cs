using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// The OpenAI Codex CLI headless: <c>codex exec --json [--full-auto] [--sandbox MODE] [--skip-git-repo-check]
/// [--model M] [extra…] PROMPT</c>. Its JSON events become readable log lines; a <c>turn.failed</c> or <c>error</c>
/// event fails the attempt even with exit code 0, and the tokens of <c>turn.completed</c> are recorded.
/// </summary>
internal sealed class CodexDescription(CodexOptions options) : PresetAgentDescription<CodexOptions>("codex", "Codex", options)
{
    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new CodexJsonParser();

    /// <inheritdoc />
    protected override void AddArguments(List<string> arguments, string prompt)
    {
        arguments.AddRange(["exec", "--json"]);
        if (Options.FullAuto)
        {
            arguments.Add("--full-auto");
        }

        if (Options.Sandbox is { } sandbox)
        {
            arguments.AddRange(["--sandbox", sandbox]);
        }

        if (Options.SkipGitRepoCheck)
        {
            arguments.Add("--skip-git-repo-check");
        }

        AddModel(arguments);
        arguments.AddRange(Options.ExtraArguments);
        arguments.Add(prompt);
    }
}
