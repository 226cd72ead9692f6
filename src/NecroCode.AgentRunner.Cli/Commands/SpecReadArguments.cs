using System.CommandLine;
using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>The options of the spec commands that say how the folder is read.</summary>
internal sealed class SpecReadArguments
{
    public Option<string?> SpecName { get; } = new("--spec-name") { Description = "The spec name of every task (registry key, {spec} of the branch template). Default: the folder's name." };

    public Option<string[]> TestCommands { get; } = new("--test") { Description = "A test command of every task; repeat for several. Default: detected from the repository.", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        command.Options.Add(SpecName);
        command.Options.Add(TestCommands);
    }

    public SpecReadOptions ToOptions(ParseResult parse)
    {
        var options = new SpecReadOptions { SpecName = parse.GetValue(SpecName) };
        foreach (var test in parse.GetValue(TestCommands) ?? [])
        {
            options.TestCommands.Add(test);
        }

        return options;
    }
}
