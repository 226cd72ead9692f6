using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Git;

/// <summary>Checks the attribute rules of <see cref="GitOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class GitOptionsValidator : IValidateOptions<GitOptions>
{
}
