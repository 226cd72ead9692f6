namespace NecroCode.AgentRunner.Specs;

/// <summary>One problem of a spec folder, at a line of one of its files.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Line">The line (1 = the first); 0 when the problem is the file as a whole.</param>
/// <param name="Message">What is wrong, and how to put it right where that is clear.</param>
public sealed record SpecProblem(string File, int Line, string Message)
{
    /// <summary>The problem as <c>file:line: message</c>, the form editors and terminals link to the line.</summary>
    /// <returns>The problem as text.</returns>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
