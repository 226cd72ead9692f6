namespace NecroCode.AgentRunner;

/// <summary>A task context has one or more problems; <see cref="Errors"/> lists them all.</summary>
public sealed class TaskValidationException : AgentRunnerException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="errors">Every problem, by field.</param>
    /// <param name="inner">The underlying exception, e.g. a JSON parse error.</param>
    public TaskValidationException(IReadOnlyList<TaskValidationError> errors, Exception? inner = null)
        : base(BuildMessage(errors), inner)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, by field.</summary>
    public IReadOnlyList<TaskValidationError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<TaskValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"The task is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):" +
            string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
    }
}
