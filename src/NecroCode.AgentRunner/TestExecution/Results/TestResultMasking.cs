namespace NecroCode.AgentRunner.TestExecution;

/// <summary>Masks a test run before it reaches the journal, the cache, artifacts and the result.</summary>
internal static class TestResultMasking
{
    /// <summary>The run with its command lines, output, warnings and case messages masked.</summary>
    /// <param name="run">The run.</param>
    /// <param name="masker">The masker.</param>
    /// <returns>The masked run.</returns>
    public static TestRunResult Mask(TestRunResult run, ISecretMasker masker)
    {
        string? M(string? text) => text is null ? null : masker.Apply(text);
        return run with
        {
            Commands = [.. run.Commands.Select(c => c with { Command = masker.Apply(c.Command), StandardOutput = masker.Apply(c.StandardOutput), StandardError = masker.Apply(c.StandardError) })],
            Cases = [.. run.Cases.Select(c => c with { Message = M(c.Message), Details = M(c.Details) })],
            Warnings = [.. run.Warnings.Select(masker.Apply)],
        };
    }
}
