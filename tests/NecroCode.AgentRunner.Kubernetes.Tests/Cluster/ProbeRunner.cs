using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// One probe of one container as the kubelet runs it: <c>exec</c> in the container, <c>httpGet</c> or <c>tcpSocket</c> on
/// 127.0.0.1 (host network), every <c>periodSeconds</c> after <c>initialDelaySeconds</c>, healthy again after
/// <c>successThreshold</c> successes, unhealthy after <c>failureThreshold</c> failures.
/// </summary>
internal sealed class ProbeRunner(V1Probe probe, V1Container container, DockerClient docker, string containerId, TimeProvider time)
{
    private static readonly HttpClient Http = new();
    private readonly long _started = time.GetTimestamp();
    private long _last;
    private int _failures;
    private int _successes;

    /// <summary>The probe's verdict so far: null before the first result.</summary>
    public bool? Healthy { get; private set; }

    /// <summary>The last failure's text (<c>HTTP probe failed with statuscode: 500</c>, …).</summary>
    public string LastMessage { get; private set; } = "";

    /// <summary>Runs the probe when it is due; returns true when the verdict changed.</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        var elapsed = time.GetElapsedTime(_started);
        if (elapsed < TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0)
            || (_last != 0 && time.GetElapsedTime(_last) < TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10)))
        {
            return false;
        }

        _last = time.GetTimestamp();
        var (ok, message) = await RunAsync(cancellationToken).ConfigureAwait(false);
        var before = Healthy;
        if (ok)
        {
            _failures = 0;
            if (++_successes >= (probe.SuccessThreshold ?? 1))
            {
                Healthy = true;
            }
        }
        else
        {
            _successes = 0;
            LastMessage = message;
            if (++_failures >= (probe.FailureThreshold ?? 3))
            {
                Healthy = false;
            }
        }

        return before != Healthy;
    }

    private async Task<(bool Ok, string Message)> RunAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1));
        try
        {
            if (probe.Exec is { } exec)
            {
                var created = await docker.Exec.ExecCreateContainerAsync(containerId, new ContainerExecCreateParameters { Cmd = exec.Command, AttachStdout = true, AttachStderr = true }, timeout.Token).ConfigureAwait(false);
                using (var stream = await docker.Exec.StartAndAttachContainerExecAsync(created.ID, false, timeout.Token).ConfigureAwait(false))
                {
                    var (stdout, stderr) = await stream.ReadOutputToEndAsync(timeout.Token).ConfigureAwait(false);
                    var inspected = await docker.Exec.InspectContainerExecAsync(created.ID, timeout.Token).ConfigureAwait(false);
                    return (inspected.ExitCode == 0, (stdout + stderr).Trim());
                }
            }

            if (probe.HttpGet is { } get)
            {
                var url = new UriBuilder(get.Scheme?.ToLowerInvariant() ?? "http", get.Host ?? "127.0.0.1", Port(get.Port), get.Path ?? "/").Uri;
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                foreach (var header in get.HttpHeaders ?? [])
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value);
                }

                using var response = await Http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                return (code is >= 200 and < 400, $"HTTP probe failed with statuscode: {code}");
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(tcp.Host ?? "127.0.0.1", Port(tcp.Port), timeout.Token).ConfigureAwait(false);
                return (true, "");
            }

            return (false, "the probe has no handler");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"probe timed out after {probe.TimeoutSeconds ?? 1}s");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or DockerApiException or IOException)
        {
            return (false, ex.Message);
        }
    }

    private int Port(IntOrString port) =>
        int.TryParse(port.Value, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : container.Ports?.FirstOrDefault(p => p.Name == port.Value)?.ContainerPort ?? throw new InvalidOperationException($"No container port named '{port.Value}'.");
}
