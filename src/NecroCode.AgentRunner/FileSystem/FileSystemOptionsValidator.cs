using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>Checks the attribute rules of <see cref="FileSystemOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class FileSystemOptionsValidator : IValidateOptions<FileSystemOptions>;
