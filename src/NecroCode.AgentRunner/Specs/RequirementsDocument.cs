using System.Globalization;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// The requirements of a spec (<c>requirements.md</c>, or <c>bugfix.md</c> of a bug-fix spec): each
/// <c>### Requirement N[: Title]</c> (any word before the number, so any language) with its numbered acceptance
/// criteria; criterion <c>N.M</c> is the M-th numbered item of requirement N. Items written with their own number
/// (<c>1.2 WHEN …</c>, as bug-fix specs do) keep that number.
/// </summary>
internal sealed partial class RequirementsDocument
{
    private readonly Dictionary<string, Requirement> _requirements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Criterion> _criteria = new(StringComparer.Ordinal);

    private RequirementsDocument(string? path) => Path = path;

    /// <summary>The file read, or null when the folder has none.</summary>
    public string? Path { get; }

    /// <summary>Every criterion, in document order.</summary>
    public IEnumerable<Criterion> Criteria => _criteria.Values;

    /// <summary>A document without requirements (the folder has no requirements file).</summary>
    public static RequirementsDocument Empty { get; } = new(null);

    /// <summary>Reads the requirements; problems go to <paramref name="problems"/>.</summary>
    public static RequirementsDocument Parse(SpecText text, List<SpecProblem> problems)
    {
        var document = new RequirementsDocument(text.Path);
        Requirement? current = null;
        Criterion? last = null;
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var line = text.Lines[i];
            var number = i + 1;
            if (HeadingPattern().Match(line) is { Success: true } heading)
            {
                // Requirements are level 2 or 3 headings; a deeper heading (#### Acceptance Criteria) stays inside one.
                last = null;
                var level = heading.Groups["level"].Length;
                current = level is 2 or 3 ? document.ReadHeading(text.Path, number, heading, problems) : level == 1 ? null : current;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (ItemPattern().Match(line) is { Success: true } item)
            {
                last = document.AddCriterion(text.Path, number, current, item, problems);
            }
            else if (last is not null && line.Length > 0 && char.IsWhiteSpace(line[0]) && !string.IsNullOrWhiteSpace(line))
            {
                last.Text += " " + line.Trim();
            }
            else if (string.IsNullOrWhiteSpace(line) is false)
            {
                last = null;
            }
        }

        return document;
    }

    /// <summary>The criteria a reference names: one criterion (<c>N.M</c>) or every criterion of a requirement (<c>N</c>).</summary>
    public IReadOnlyList<Criterion>? Resolve(string reference) =>
        _criteria.TryGetValue(reference, out var criterion) ? [criterion]
        : _requirements.TryGetValue(reference, out var requirement) ? requirement.Criteria
        : null;

    private Requirement? ReadHeading(string path, int line, Match heading, List<SpecProblem> problems)
    {
        var title = heading.Groups["text"].Value.Trim();
        if (RequirementHeadingPattern().Match(title) is not { Success: true } match)
        {
            if (title.StartsWith("Requirement", StringComparison.OrdinalIgnoreCase) && !title.StartsWith("Requirements", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(path, line, $"the requirement heading '{title}' has no number; write '### Requirement N: Title'."));
            }

            return null;
        }

        var number = match.Groups["number"].Value;
        if (_requirements.TryGetValue(number, out var existing))
        {
            problems.Add(new(path, line, $"requirement {number} is defined twice (first at line {existing.Line})."));
            return null;
        }

        var requirement = new Requirement(number, match.Groups["title"].Value.Trim(), line);
        _requirements.Add(number, requirement);
        return requirement;
    }

    private Criterion? AddCriterion(string path, int line, Requirement requirement, Match item, List<SpecProblem> problems)
    {
        var text = item.Groups["text"].Value.Trim();
        var id = item.Groups["own"].Success
            ? item.Groups["own"].Value
            : string.Create(CultureInfo.InvariantCulture, $"{requirement.Number}.{requirement.Criteria.Count + 1}");
        if (!id.StartsWith(requirement.Number + ".", StringComparison.Ordinal))
        {
            problems.Add(new(path, line, $"criterion {id} is under requirement {requirement.Number}; number it {requirement.Number}.M."));
            return null;
        }

        if (_criteria.TryGetValue(id, out var existing))
        {
            problems.Add(new(path, line, $"criterion {id} is defined twice (first at line {existing.Line})."));
            return null;
        }

        var criterion = new Criterion(id, line) { Text = text };
        requirement.Criteria.Add(criterion);
        _criteria.Add(id, criterion);
        return criterion;
    }

    [GeneratedRegex(@"^(?<level>#{1,6})\s+(?<text>.*?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^[^\d\s:：.]+?\s*(?<number>\d+)\s*(?:[:：.．-]\s*(?<title>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex RequirementHeadingPattern();

    [GeneratedRegex(@"^\s{0,3}(?:\d+[.)]|(?:\*\*)?(?<own>\d+\.\d+)(?:\*\*)?[.:]?)\s+(?<text>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemPattern();

    /// <summary>A requirement and its criteria.</summary>
    internal sealed record Requirement(string Number, string Title, int Line)
    {
        public List<Criterion> Criteria { get; } = [];
    }

    /// <summary>One acceptance criterion, <c>N.M</c>.</summary>
    internal sealed record Criterion(string Id, int Line)
    {
        public string Text { get; set; } = "";
    }
}
