using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Security;

/// <summary>Checks the attribute rules of <see cref="SecretMaskerOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class SecretMaskerOptionsValidator : IValidateOptions<SecretMaskerOptions>
{
}
