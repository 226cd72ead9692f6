using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Agents;

/// <summary>Validates <see cref="CommandAgentOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class CommandAgentOptionsValidator : IValidateOptions<CommandAgentOptions>
{
}

/// <summary>Checks <see cref="CommandAgentOptions.SecretVariables"/>.</summary>
internal sealed class CommandAgentOptionsSecretsValidator : IValidateOptions<CommandAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, CommandAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = AgentSecretVariables.Validate(nameof(CommandAgentOptions), nameof(options.SecretVariables), options.SecretVariables).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
