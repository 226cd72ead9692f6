using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Health;

/// <summary>Validates <see cref="AgentRunnerHealthCheckOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class AgentRunnerHealthCheckOptionsValidator : IValidateOptions<AgentRunnerHealthCheckOptions>
{
}
