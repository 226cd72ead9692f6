using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>Checks the attribute rules of <see cref="CredentialOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class CredentialOptionsValidator : IValidateOptions<CredentialOptions>
{
}
