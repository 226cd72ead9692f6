namespace NecroCode.AgentRunner;

/// <summary>One problem found in a task context.</summary>
/// <param name="Field">JSON path of the offending field, e.g. <c>taskId</c> or <c>testCommands[1]</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record TaskValidationError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
