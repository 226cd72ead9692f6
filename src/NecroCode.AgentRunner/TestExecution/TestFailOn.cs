namespace NecroCode.AgentRunner.TestExecution;

/// <summary>Reads <see cref="TestRunnerOptions.FailOn"/>: the classes of test cases that fail the run.</summary>
internal static class TestFailOn
{
    /// <summary>The classes that may fail a run.</summary>
    public static readonly IReadOnlySet<TestCaseClass> Allowed = new HashSet<TestCaseClass>
    {
        TestCaseClass.Regressed, TestCaseClass.NewFailing, TestCaseClass.StillFailing, TestCaseClass.Flaky, TestCaseClass.Removed,
    };

    /// <summary>Parses a list of class names separated by <c>;</c> or <c>,</c> (case-insensitive).</summary>
    /// <param name="value">The setting.</param>
    /// <param name="classes">The classes named.</param>
    /// <param name="error">What is wrong, when it does not parse.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string? value, out IReadOnlySet<TestCaseClass> classes, out string? error)
    {
        var parsed = new HashSet<TestCaseClass>();
        classes = parsed;
        error = null;
        foreach (var part in (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<TestCaseClass>(part, ignoreCase: true, out var parsedClass) || !Allowed.Contains(parsedClass) || int.TryParse(part, out _))
            {
                error = $"'{part}' is not a class that can fail a run; use any of {string.Join(", ", Allowed.Order())}.";
                return false;
            }

            parsed.Add(parsedClass);
        }

        return true;
    }

    /// <summary>The classes of a valid setting.</summary>
    /// <param name="value">The validated setting.</param>
    /// <returns>The classes.</returns>
    public static IReadOnlySet<TestCaseClass> Parse(string value) =>
        TryParse(value, out var classes, out var error) ? classes : throw new InvalidOperationException(error);
}
