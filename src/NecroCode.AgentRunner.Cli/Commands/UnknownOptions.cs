using System.CommandLine;
using System.CommandLine.Parsing;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Configuration;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// Finds words on the command line that look like options but are none of the command's: those the parser left
/// unmatched, and those an option that takes several values (<c>--task a.json b.json</c>) took as its values —
/// so that <c>--task task.json --paralel 2</c> is refused as a misspelled option, not read as a task file.
/// </summary>
internal static class UnknownOptions
{
    private const int SuggestionLimit = 3;

    /// <summary>One line per unknown option, each naming the nearest known option of the command when one is near.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <returns>The lines, empty when every option-like word is known.</returns>
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var known = KnownNames(parse.CommandResult);
        var taken = parse.CommandResult.Children.OfType<OptionResult>()
            .Where(o => o.Option.AllowMultipleArgumentsPerToken)
            .SelectMany(o => o.Tokens)
            .Where(t => t.Type == TokenType.Argument)
            .Select(t => t.Value);
        return parse.UnmatchedTokens.Concat(taken)
            .Where(word => LooksLikeOption(word) && !known.Contains(OptionName(word)) && !File.Exists(word) && !Directory.Exists(word))
            .Distinct(StringComparer.Ordinal)
            .Select(word => Line(OptionName(word), known))
            .ToList();
    }

    private static bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-' && !char.IsDigit(word[1]);

    /// <summary>The option's name without an attached value (<c>--root=/x</c>).</summary>
    private static string OptionName(string word) => word.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals ? word[..equals] : word;

    private static HashSet<string> KnownNames(CommandResult command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is not CommandResult { Command: var current })
            {
                continue;
            }

            foreach (var option in current.Options.Where(o => ReferenceEquals(result, command) || o.Recursive))
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases);
            }
        }

        return names;
    }

    private static string Line(string word, HashSet<string> known)
    {
        var nearest = known.Where(n => n.StartsWith("--", StringComparison.Ordinal))
            .Select(n => (Name: n, Distance: EditDistance.Between(word, n, SuggestionLimit)))
            .Where(c => c.Distance <= SuggestionLimit)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
        return nearest is null ? $"Unknown option '{word}'." : $"Unknown option '{word}'; did you mean {nearest}?";
    }
}
