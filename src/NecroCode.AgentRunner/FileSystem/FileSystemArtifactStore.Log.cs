using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemArtifactStore
{
    private static partial class Log
    {
        [LoggerMessage(6200, LogLevel.Debug, "Stored artifact {Name} of {Task} at {Uri}")]
        public static partial void ArtifactStored(ILogger logger, string name, string task, Uri uri);
    }
}
