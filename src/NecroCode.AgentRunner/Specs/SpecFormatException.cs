namespace NecroCode.AgentRunner.Specs;

/// <summary>A spec folder cannot be read: <see cref="Problems"/> lists every problem, each with its file and line.</summary>
public sealed class SpecFormatException : AgentRunnerException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">Every problem found; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="problems"/> is null.</exception>
    public SpecFormatException(IReadOnlyList<SpecProblem> problems)
        : base(BuildMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in file and line order.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; }

    private static string BuildMessage(IReadOnlyList<SpecProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"The spec is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):" +
            string.Concat(problems.Select(p => Environment.NewLine + "  " + p));
    }
}
