using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>Checks <see cref="ClaudeCodeOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ClaudeCodeOptionsValidator : IValidateOptions<ClaudeCodeOptions>;

/// <summary>Checks <see cref="CodexOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class CodexOptionsValidator : IValidateOptions<CodexOptions>;

/// <summary>Checks <see cref="GeminiCliOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class GeminiCliOptionsValidator : IValidateOptions<GeminiCliOptions>;

/// <summary>Checks <see cref="AiderOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class AiderOptionsValidator : IValidateOptions<AiderOptions>;

/// <summary>Checks <see cref="CopilotCliOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class CopilotCliOptionsValidator : IValidateOptions<CopilotCliOptions>;

/// <summary>Checks the rules of each preset's options that attributes cannot express.</summary>
internal sealed class PresetOptionsConsistencyValidator :
    IValidateOptions<ClaudeCodeOptions>,
    IValidateOptions<CodexOptions>,
    IValidateOptions<GeminiCliOptions>,
    IValidateOptions<AiderOptions>,
    IValidateOptions<CopilotCliOptions>
{
    public ValidateOptionsResult Validate(string? name, ClaudeCodeOptions options)
    {
        var failures = Common(nameof(ClaudeCodeOptions), options);
        OneOf(failures, nameof(ClaudeCodeOptions), nameof(options.PermissionMode), options.PermissionMode, ClaudeCodeOptions.PermissionModes);
        Names(failures, nameof(ClaudeCodeOptions), nameof(options.AllowedTools), options.AllowedTools, allowComma: false);
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, CodexOptions options)
    {
        var failures = Common(nameof(CodexOptions), options);
        if (options.Sandbox is not null)
        {
            OneOf(failures, nameof(CodexOptions), nameof(options.Sandbox), options.Sandbox, CodexOptions.SandboxModes);
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, GeminiCliOptions options)
    {
        var failures = Common(nameof(GeminiCliOptions), options);
        OneOf(failures, nameof(GeminiCliOptions), nameof(options.ApprovalMode), options.ApprovalMode, GeminiCliOptions.ApprovalModes);
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, AiderOptions options) => Result(Common(nameof(AiderOptions), options));

    public ValidateOptionsResult Validate(string? name, CopilotCliOptions options)
    {
        var failures = Common(nameof(CopilotCliOptions), options);
        if (!options.AllowAllTools && options.AllowedTools.Count == 0)
        {
            failures.Add("CopilotCliOptions.AllowedTools must list at least one tool when AllowAllTools is false.");
        }

        Names(failures, nameof(CopilotCliOptions), nameof(options.AllowedTools), options.AllowedTools, allowComma: true);
        Names(failures, nameof(CopilotCliOptions), nameof(options.DeniedTools), options.DeniedTools, allowComma: true);
        return Result(failures);
    }

    private static List<string> Common(string type, PresetAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Command))
        {
            failures.Add($"{type}.Command must name the agent's executable.");
        }

        if (options.Model is { } model && string.IsNullOrWhiteSpace(model))
        {
            failures.Add($"{type}.Model must be null or a model name, not blank.");
        }

        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add($"{type}.Timeout must be positive.");
        }

        failures.AddRange(AgentSecretVariables.Validate(type, nameof(options.SecretVariables), options.SecretVariables));
        Names(failures, type, nameof(options.ApiKeyVariables), options.ApiKeyVariables, allowComma: false);
        Names(failures, type, nameof(options.PassEnvironment), options.PassEnvironment, allowComma: false);
        if (options.Environment.Keys.Any(k => string.IsNullOrWhiteSpace(k) || k.Contains('=', StringComparison.Ordinal)))
        {
            failures.Add($"{type}.Environment names must be non-blank and must not contain '='.");
        }

        if (options.ExtraArguments.Any(a => a is null))
        {
            failures.Add($"{type}.ExtraArguments must not contain null entries.");
        }

        return failures;
    }

    private static void OneOf(List<string> failures, string type, string member, string? value, IReadOnlyList<string> allowed)
    {
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
        {
            failures.Add($"{type}.{member} is '{value}'; it must be one of: {string.Join(", ", allowed)}.");
        }
    }

    private static void Names(List<string> failures, string type, string member, IEnumerable<string> values, bool allowComma)
    {
        if (values.Any(v => string.IsNullOrWhiteSpace(v) || (!allowComma && v.Contains(',', StringComparison.Ordinal))))
        {
            failures.Add(allowComma
                ? $"{type}.{member} entries must be non-blank."
                : $"{type}.{member} entries must be non-blank and must not contain commas.");
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
