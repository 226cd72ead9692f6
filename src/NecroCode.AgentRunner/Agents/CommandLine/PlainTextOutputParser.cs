namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// Reads plain-text output: each line is passed on without its terminal escape sequences (colours, cursor moves,
/// window titles). It reads no final result and no usage, so the exit code alone decides.
/// </summary>
public sealed class PlainTextOutputParser : AgentOutputParser
{
    /// <inheritdoc />
    public override bool ReportsFinalResult => false;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public override void Accept(string line, Action<string> emit)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(emit);
        emit(TerminalText.StripEscapes(line));
    }
}
