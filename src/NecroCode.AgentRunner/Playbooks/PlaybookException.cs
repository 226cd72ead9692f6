namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// A playbook could not be loaded (every problem is listed in <see cref="Errors"/>), or one of its
/// conditions could not be evaluated.
/// </summary>
public sealed class PlaybookException : AgentRunnerException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="errors">Every problem, with its place; at least one.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="errors"/> is null.</exception>
    public PlaybookException(IReadOnlyList<PlaybookError> errors, Exception? inner = null)
        : base(BuildMessage(errors), inner)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<PlaybookError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<PlaybookError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"The playbook is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):" +
            string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
    }
}
