using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.DependencyInjection;

/// <summary>Checks <see cref="AgentRunnerOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class AgentRunnerOptionsValidator : IValidateOptions<AgentRunnerOptions>;
