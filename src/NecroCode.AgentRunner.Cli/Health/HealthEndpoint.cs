using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Cli.Health;

/// <summary>
/// A minimal HTTP server (<see cref="HttpListener"/>) for the host's health: <c>GET /healthz</c> answers
/// 200 <c>Healthy</c> while the process runs (liveness); <c>GET /readyz</c> runs the checks tagged
/// <see cref="AgentRunnerHealthChecks.ReadyTag"/> and answers 200 when they are Healthy or Degraded, otherwise
/// 503, with a JSON body <c>{"status":…,"checks":[{"name":…,"status":…,"description":…}]}</c>.
/// </summary>
internal sealed partial class HealthEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly HealthCheckService _checks;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private HealthEndpoint(HttpListener listener, HealthCheckService checks, ILogger logger, Uri address)
    {
        _listener = listener;
        _checks = checks;
        _logger = logger;
        Address = address;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The base address served, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving on <paramref name="address"/>:<paramref name="port"/>.</summary>
    /// <param name="services">Provides <see cref="HealthCheckService"/> (<c>services.AddHealthChecks().AddAgentRunnerHealthChecks()</c>).</param>
    /// <param name="address">The IP address or host name to bind: <c>127.0.0.1</c>, <c>0.0.0.0</c> or <c>*</c> (all), <c>::1</c>…</param>
    /// <param name="port">The TCP port, 1–65535.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running endpoint; dispose it to stop serving.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port is out of range.</exception>
    /// <exception cref="InvalidOperationException">Health checks are not registered.</exception>
    /// <exception cref="HttpListenerException">The address cannot be bound (in use, not permitted).</exception>
    public static Task<HealthEndpoint> StartAsync(IServiceProvider services, string address, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        cancellationToken.ThrowIfCancellationRequested();

        var checks = services.GetService<HealthCheckService>()
            ?? throw new InvalidOperationException("Health checks are not registered: call services.AddHealthChecks().AddAgentRunnerHealthChecks().");
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("NecroCode.AgentRunner.Cli.Health.HealthEndpoint") ?? NullLogger.Instance;
        var host = HostPart(address);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        var shown = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{(host is "+" ? "127.0.0.1" : host)}:{port}/"));
        Log.Listening(logger, shown);
        return Task.FromResult(new HealthEndpoint(listener, checks, logger, shown));
    }

    /// <summary>Stops serving and waits for the accept loop to end.</summary>
    /// <returns>A task that completes when the endpoint is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        Log.Stopped(_logger, Address);
    }

    private static string HostPart(string address)
    {
        var trimmed = address.Trim();
        if (trimmed is "*" or "+" or "0.0.0.0" or "::" or "[::]")
        {
            return "+";
        }

        if (IPAddress.TryParse(trimmed.Trim('[', ']'), out var ip))
        {
            return ip.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + ip + "]" : ip.ToString();
        }

        if (Uri.CheckHostName(trimmed) == UriHostNameType.Dns)
        {
            return trimmed;
        }

        throw new ArgumentException($"'{address}' is not an IP address or host name to serve health on.", nameof(address));
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                Log.AcceptFailed(_logger, ex);
                continue;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            response.Headers["Cache-Control"] = "no-store";
            var path = context.Request.Url?.AbsolutePath ?? "/";
            if (!string.Equals(context.Request.HttpMethod, "GET", StringComparison.Ordinal) && !string.Equals(context.Request.HttpMethod, "HEAD", StringComparison.Ordinal))
            {
                response.Headers["Allow"] = "GET, HEAD";
                await WriteAsync(response, 405, "text/plain; charset=utf-8", "Method Not Allowed"u8.ToArray()).ConfigureAwait(false);
            }
            else if (path == "/healthz")
            {
                await WriteAsync(response, 200, "text/plain; charset=utf-8", "Healthy"u8.ToArray()).ConfigureAwait(false);
            }
            else if (path == "/readyz")
            {
                var report = await _checks.CheckHealthAsync(r => r.Tags.Contains(AgentRunnerHealthChecks.ReadyTag), _stopping.Token).ConfigureAwait(false);
                var status = report.Status == HealthStatus.Unhealthy ? 503 : 200;
                if (status != 200)
                {
                    Log.NotReady(_logger, report.Status);
                }

                await WriteAsync(response, status, "application/json; charset=utf-8", ReportJson(report)).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(response, 404, "text/plain; charset=utf-8", "Not Found"u8.ToArray()).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed request must not end the server.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_stopping.IsCancellationRequested)
            {
                Log.RequestFailed(_logger, ex);
            }

            response.Abort();
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        response.Close();
    }

    /// <summary>The JSON body of <c>/readyz</c>.</summary>
    internal static byte[] ReportJson(HealthReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartArray("checks");
            foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description ?? entry.Exception?.Message ?? string.Empty);
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
