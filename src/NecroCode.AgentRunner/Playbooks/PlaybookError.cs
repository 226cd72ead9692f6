using System.Globalization;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>One problem found in a playbook, with where it is.</summary>
/// <param name="File">The playbook file (or source name) the problem is in.</param>
/// <param name="Line">The line, from 1; 0 when the problem concerns the whole file.</param>
/// <param name="Column">The column, from 1; 0 when the problem concerns the whole file.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PlaybookError(string File, int Line, int Column, string Message)
{
    /// <summary>The problem as <c>file(line,column): message</c>.</summary>
    /// <returns>The formatted problem.</returns>
    public override string ToString() =>
        Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column}): {Message}")
            : $"{File}: {Message}";
}
