using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Agents;

/// <summary>Validates <see cref="CommandAgentOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class CommandAgentOptionsValidator : IValidateOptions<CommandAgentOptions>
{
}
