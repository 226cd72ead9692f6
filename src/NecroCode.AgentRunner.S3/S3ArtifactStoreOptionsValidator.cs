using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.S3;

/// <summary>Checks the attribute rules of <see cref="S3ArtifactStoreOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class S3ArtifactStoreOptionsValidator : IValidateOptions<S3ArtifactStoreOptions>;
