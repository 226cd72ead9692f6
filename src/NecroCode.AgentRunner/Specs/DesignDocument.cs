using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// The sections of <c>design.md</c> (every heading of level 2 to 4 starts one), with the requirement references each
/// makes (<c>**Validates: Requirements 1.2, 3.1**</c>, <c>_Requirements: 2_</c>), so that a task can be given the
/// sections that concern it.
/// </summary>
internal sealed partial class DesignDocument
{
    private DesignDocument(string? path, IReadOnlyList<Section> sections)
    {
        Path = path;
        Sections = sections;
    }

    /// <summary>A folder without a design.</summary>
    public static DesignDocument Empty { get; } = new(null, []);

    /// <summary>The file read, or null when the folder has none.</summary>
    public string? Path { get; }

    /// <summary>The sections, in document order.</summary>
    public IReadOnlyList<Section> Sections { get; }

    /// <summary>Reads the sections; a reference to a requirement or criterion that does not exist is a problem.</summary>
    public static DesignDocument Parse(SpecText text, RequirementsDocument requirements, List<SpecProblem> problems)
    {
        var sections = new List<Section>();
        Section? current = null;
        var inFence = false;
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var line = text.Lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && HeadingPattern().Match(line) is { Success: true } heading)
            {
                current = new Section(heading.Groups["title"].Value.Trim(), heading.Groups["level"].Length, i + 1);
                sections.Add(current);
            }

            if (current is null)
            {
                continue;
            }

            current.Text.Append(line).Append('\n');
            if (!inFence && ReferencePattern().Match(line) is { Success: true } reference)
            {
                foreach (var id in SpecReferences.Split(reference.Groups["ids"].Value))
                {
                    if (requirements.Resolve(id) is null)
                    {
                        problems.Add(new(text.Path, i + 1, UnknownReference(id, requirements)));
                    }
                    else
                    {
                        current.References.Add(id);
                    }
                }
            }
        }

        return new DesignDocument(text.Path, sections);
    }

    /// <summary>The message for a reference to a requirement or criterion that does not exist.</summary>
    public static string UnknownReference(string id, RequirementsDocument requirements) =>
        requirements.Path is null
            ? $"refers to requirement {id}, but the folder has no requirements.md (or bugfix.md)."
            : $"refers to requirement {id}, which {System.IO.Path.GetFileName(requirements.Path)} does not define.";

    /// <summary>
    /// The design context of a task, bounded to <paramref name="limit"/> characters: the sections that name one of
    /// the task's criteria (or their requirements), and the sections whose title the task's text names.
    /// </summary>
    public string? ContextFor(string taskText, IReadOnlyCollection<string> criteria, int limit)
    {
        if (Sections.Count == 0 || limit <= 0)
        {
            return null;
        }

        var requirementNumbers = criteria.Select(c => c.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        var chosen = Sections.Where(s =>
            s.References.Any(r => criteria.Contains(r) || requirementNumbers.Contains(r))
            || (NameOf(s.Title) is { Length: >= 4 } name && taskText.Contains(name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (chosen.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var section in chosen)
        {
            var body = section.Text.ToString().TrimEnd();
            if (text.Length + body.Length + 2 > limit)
            {
                var room = Math.Max(0, limit - text.Length - 2);
                text.Append(body.AsSpan(0, Math.Min(room, body.Length))).Append("\n…");
                var left = chosen.SkipWhile(s => !ReferenceEquals(s, section)).Sum(s => s.Text.Length) - room;
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $" (design.md continues: {left} more characters of the sections named)");
                break;
            }

            text.Append(body).Append("\n\n");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>A heading without its numbering (<c>Property 3: Stacked branches</c> → <c>Stacked branches</c>).</summary>
    private static string NameOf(string title) => NumberingPattern().Replace(title, "").Trim();

    [GeneratedRegex(@"^(?<level>#{2,4})\s+(?<title>.*?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"(?:Validates:\s*|_)Requirements?\s*:?\s*(?:\*\*)?\s*(?<ids>\d+(?:\.\d+)?(?:\s*[,、]\s*\d+(?:\.\d+)?)*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^(?:[^\s:：]+\s*\d+(?:\.\d+)*\s*[:：.]|\d+(?:\.\d+)*\.?)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberingPattern();

    /// <summary>One section: its heading, level, line, text (heading included) and the requirements it names.</summary>
    internal sealed record Section(string Title, int Level, int Line)
    {
        public StringBuilder Text { get; } = new();

        public HashSet<string> References { get; } = new(StringComparer.Ordinal);
    }
}
