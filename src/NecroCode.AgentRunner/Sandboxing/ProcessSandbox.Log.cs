using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Sandboxing;

internal sealed partial class ProcessSandbox
{
    private static partial class Log
    {
        [LoggerMessage(7501, LogLevel.Debug, "Step {Step}: {Program} confined by {Mechanism} to {Folder} (network {Network})")]
        public static partial void Confined(ILogger logger, string step, string program, SandboxMechanism mechanism, string folder, SandboxNetwork network);

        [LoggerMessage(7502, LogLevel.Warning, "No sandbox mechanism inside this container ({Landlock}; {Bubblewrap}); the agent and the tests run confined only by the container")]
        public static partial void UnconfinedInContainer(ILogger logger, string landlock, string bubblewrap);
    }
}
