using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>Validates <see cref="SandboxOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
}
