using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Policies;

/// <summary>Checks <see cref="ChangePolicyOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ChangePolicyOptionsValidator : IValidateOptions<ChangePolicyOptions>;
