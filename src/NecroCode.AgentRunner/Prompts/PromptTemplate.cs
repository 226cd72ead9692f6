using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// A prompt template: text with named placeholders written <c>{{name}}</c> (spaces inside the braces allowed).
/// Every placeholder must be one of <see cref="Placeholders"/>; runs of more than one blank line left by empty
/// placeholders are folded into one.
/// </summary>
public sealed partial class PromptTemplate
{
    /// <summary>
    /// The placeholders a template may use: <c>task-id</c>, <c>spec</c>, <c>title</c>, <c>skill</c>,
    /// <c>description</c>, <c>workspace</c>, <c>attempt</c> (values); <c>acceptance-criteria</c> (numbered list),
    /// <c>dependencies</c> (one item a dependency, with branch, commit and summary when known), <c>test-commands</c>
    /// (bullets), <c>guidance</c> (the repository's guidance files, each under a <c>### path</c> heading),
    /// <c>previous-failure</c> (the failing tests' output on a fix attempt, empty on the first), <c>fix-request</c>
    /// (the built-in fix section on a fix attempt, empty on the first), <c>rules</c> (the built-in workspace rules).
    /// A placeholder with nothing to show is empty.
    /// </summary>
    public static readonly IReadOnlyList<string> Placeholders =
    [
        "task-id", "spec", "title", "skill", "description", "workspace", "attempt",
        "acceptance-criteria", "dependencies", "test-commands", "guidance", "previous-failure", "fix-request", "rules",
    ];

    private readonly string _text;

    private PromptTemplate(string text) => _text = text;

    /// <summary>Parses a template, checking its placeholders.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="source">Where the text came from, for error messages (e.g. <c>PromptOptions.Template</c> or a file path).</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FormatException">The template uses a placeholder that is not one of <see cref="Placeholders"/>.</exception>
    public static PromptTemplate Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var problems = Check(text);
        if (problems.Count > 0)
        {
            throw new FormatException($"The prompt template ({source}) {string.Join("; ", problems)}. Known placeholders: {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))}.");
        }

        return new PromptTemplate(text);
    }

    /// <summary>The problems of a template's placeholders, each naming the placeholder and its line; empty when there are none.</summary>
    internal static List<string> Check(string text)
    {
        var problems = new List<string>();
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                problems.Add($"uses the unknown placeholder '{match.Value}' on line {line}");
            }
        }

        return problems;
    }

    /// <summary>Fills the placeholders.</summary>
    /// <param name="values">The value of each placeholder; a missing one is empty.</param>
    /// <returns>The prompt, ending with one line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var filled = PlaceholderPattern().Replace(_text.ReplaceLineEndings("\n"), m => values.TryGetValue(m.Groups[1].Value, out var value) ? value.TrimEnd('\n') : "");
        var text = new StringBuilder(BlankLines().Replace(filled, "\n\n").Trim('\n'));
        return text.Append('\n').ToString();
    }

    [GeneratedRegex(@"\{\{\s*([^{}\s]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*){2,}", RegexOptions.CultureInvariant)]
    private static partial Regex BlankLines();
}
