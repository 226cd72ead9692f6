using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Budgets;

/// <summary>Checks <see cref="BudgetOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class BudgetOptionsValidator : IValidateOptions<BudgetOptions>;

/// <summary>Checks the limits of <see cref="BudgetOptions"/>: every figure set is more than 0; messages name the setting.</summary>
internal sealed class BudgetOptionsLimitsValidator : IValidateOptions<BudgetOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (scope, limits) in new[] { (nameof(BudgetOptions.Attempt), options.Attempt), (nameof(BudgetOptions.Task), options.Task) })
        {
            foreach (var (measure, problem) in limits?.Problems() ?? [])
            {
                failures.Add($"{BudgetOptions.SectionName}:{scope}:{measure} {problem}");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
