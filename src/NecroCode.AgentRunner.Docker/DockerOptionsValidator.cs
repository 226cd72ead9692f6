using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Docker;

/// <summary>Checks the attribute rules of <see cref="DockerOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class DockerOptionsValidator : IValidateOptions<DockerOptions>;
