using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>Checks <see cref="KiroOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class KiroOptionsValidator : IValidateOptions<KiroOptions>;

/// <summary>Checks the rules that span several <see cref="KiroOptions"/> members.</summary>
internal sealed class KiroOptionsConsistencyValidator : IValidateOptions<KiroOptions>
{
    public ValidateOptionsResult Validate(string? name, KiroOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.TrustAllTools && options.TrustedTools.Count == 0)
        {
            failures.Add("KiroOptions.TrustedTools must list at least one tool when TrustAllTools is false.");
        }

        if (options.TrustedTools.Any(t => string.IsNullOrWhiteSpace(t) || t.Contains(',', StringComparison.Ordinal)))
        {
            failures.Add("KiroOptions.TrustedTools entries must be non-blank tool names without commas.");
        }

        foreach (var (secret, variable) in options.SecretVariables)
        {
            if (string.IsNullOrEmpty(secret) || secret[0] == '.' || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                failures.Add($"KiroOptions.SecretVariables key '{secret}' is not a secret name (letters, digits, '-', '_', '.'; not starting with '.').");
            }

            if (!string.IsNullOrEmpty(variable) && (char.IsAsciiDigit(variable[0]) || !variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                failures.Add($"KiroOptions.SecretVariables[{secret}] '{variable}' is not an environment variable name (letters, digits, '_'); leave it empty to turn the entry off.");
            }
        }

        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add("KiroOptions.Timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
