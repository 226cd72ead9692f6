using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Processes;

/// <summary>Validates <see cref="ProcessRunnerOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class ProcessRunnerOptionsValidator : IValidateOptions<ProcessRunnerOptions>
{
}
