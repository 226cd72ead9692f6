using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>Validates the rules of <see cref="TestRunnerOptions"/> that attributes cannot state: the classes named in <c>FailOn</c>, the result globs.</summary>
internal sealed class TestRunnerOptionsRulesValidator : IValidateOptions<TestRunnerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TestRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!TestFailOn.TryParse(options.FailOn, out _, out var error))
        {
            errors.Add($"{TestRunnerOptions.SectionName}:FailOn: {error}");
        }

        if (ResultGlobs.Split(options.Results).Count == 0)
        {
            errors.Add($"{TestRunnerOptions.SectionName}:Results names no glob; give at least one, e.g. '**/junit*.xml'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
