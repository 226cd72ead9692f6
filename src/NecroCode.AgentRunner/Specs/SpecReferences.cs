using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Specs;

/// <summary>The lists of task and requirement numbers in a spec: <c>1.1, 2.3</c>, <c>1.1、2.3</c>, <c>1.1 2.3</c>.</summary>
internal static partial class SpecReferences
{
    /// <summary>The words that stand for "every requirement" in a <c>_Requirements_</c> line.</summary>
    private static readonly HashSet<string> All = new(StringComparer.OrdinalIgnoreCase) { "all", "すべて", "全て", "全部", "全要件", "*" };

    /// <summary>The words that stand for "no dependency" in a <c>_Depends_</c> line.</summary>
    private static readonly HashSet<string> None = new(StringComparer.OrdinalIgnoreCase) { "none", "-", "なし", "無し" };

    /// <summary>The items of a list, trimmed, without empty ones.</summary>
    public static IEnumerable<string> Split(string list) =>
        SeparatorPattern().Split(list.Trim().Trim('_', '*').Trim()).Where(s => s.Length > 0);

    /// <summary>Whether <paramref name="item"/> is a task or requirement number (<c>3</c>, <c>3.1</c>, <c>3.1.2</c>).</summary>
    public static bool IsNumber(string item) => NumberPattern().IsMatch(item);

    /// <summary>Whether <paramref name="item"/> means "every requirement".</summary>
    public static bool IsAll(string item) => All.Contains(item);

    /// <summary>Whether <paramref name="list"/> means "no dependency".</summary>
    public static bool IsNone(string list) => Split(list).ToList() is [var only] && None.Contains(only);

    [GeneratedRegex(@"[\s,、，;]+", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex(@"^\d+(?:\.\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
