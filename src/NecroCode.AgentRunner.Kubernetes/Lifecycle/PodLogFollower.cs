using System.Globalization;
using System.Text;
using k8s;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>
/// Follows the runner container's log (its JSON-lines events) into a <see cref="RemoteEventReader"/>. The log is a
/// convenience, never the record: when the stream drops while the container runs, the follower reconnects from the time of
/// the last line it read (lines are asked with their timestamps; on a reconnection those before the last one seen, and as
/// many with its very timestamp as were read, are skipped).
/// </summary>
internal sealed class PodLogFollower(IKubernetes client, string ns, string podName, RemoteEventReader output, TimeProvider time)
{
    private const int MaxReconnects = 100;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(500);
    private DateTimeOffset? _last;
    private int _atLast;

    /// <summary>How many times the stream was opened again after it dropped.</summary>
    public int Reconnects { get; private set; }

    /// <summary>
    /// Reads the log until it ends after the container ended (<paramref name="containerEnded"/>), or until cancelled.
    /// </summary>
    public async Task RunAsync(Func<bool> containerEnded, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var ended = containerEnded();
            try
            {
                var since = _last is { } last ? (int?)Math.Max(1, (int)Math.Ceiling((time.GetUtcNow() - last).TotalSeconds) + 1) : null;
                var stream = await client.CoreV1.ReadNamespacedPodLogAsync(
                    podName, ns, container: Manifests.JobLabels.Container, follow: true, sinceSeconds: since, timestamps: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // The log is a convenience: a stream that broke in any way is opened again, never the run's failure.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                if (ClusterCalls.StatusOf(ex) is System.Net.HttpStatusCode.NotFound || Reconnects >= MaxReconnects)
                {
                    break;
                }
            }

            if (ended)
            {
                // The stream was opened after the container had ended: it held everything there is.
                break;
            }

            Reconnects++;
            await Task.Delay(ReconnectDelay, time, cancellationToken).ConfigureAwait(false);
        }

        output.Complete();
    }

    private async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var (resumeAt, skip) = (_last, _atLast);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var text = line;
            if (space > 0 && DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
            {
                if (resumeAt is { } resume && (stamp < resume || (stamp == resume && skip-- > 0)))
                {
                    continue;
                }

                resumeAt = null;
                _atLast = stamp == _last ? _atLast + 1 : 1;
                _last = stamp;
                text = line[(space + 1)..];
            }

            output.Write(Encoding.UTF8.GetBytes(text + "\n"), OutputSource.StandardOutput);
        }
    }
}
