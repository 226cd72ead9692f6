using Docker.DotNet;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Docker;

/// <summary>A container's log stream as the engine sends it: stdout and stderr frames, multiplexed.</summary>
internal static class ContainerLogs
{
    /// <summary>Feeds every frame to <paramref name="output"/> by its stream until the log ends, then completes it.</summary>
    public static async Task PumpAsync(MultiplexedStream stream, RemoteEventReader output, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            output.Write(buffer.AsSpan(0, read.Count), read.Target == MultiplexedStream.TargetStream.StandardError ? OutputSource.StandardError : OutputSource.StandardOutput);
        }

        output.Complete();
    }
}
