using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

/// <summary>
/// The HTTP proxy of one confined process whose network is <see cref="SandboxNetwork.Hosts"/>: listens on a Unix socket
/// (relayed into the process's network namespace, where it is the only way out), tunnels <c>CONNECT</c> and forwards
/// plain-HTTP requests to the allowed hosts, and answers every other host with <c>403</c> naming the setting. Names are
/// resolved here, outside the namespace. <see cref="Dispose"/> closes the listener and every connection.
/// </summary>
internal sealed partial class EgressProxy : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _listener;
    private readonly HostAllowList _allowed;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private int _refused;
    private string? _firstRefused;

    private EgressProxy(Socket listener, string socketPath, HostAllowList allowed, ILogger logger)
    {
        _listener = listener;
        SocketPath = socketPath;
        _allowed = allowed;
        _logger = logger;
    }

    /// <summary>The Unix socket it listens on.</summary>
    public string SocketPath { get; }

    /// <summary>How many connections it refused.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The first host it refused, as <c>host:port</c>.</summary>
    public string? FirstRefused => Volatile.Read(ref _firstRefused);

    /// <summary>Starts a proxy listening on <paramref name="socketPath"/>, which must not exist.</summary>
    public static EgressProxy Start(string socketPath, HostAllowList allowed, ILogger logger)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var proxy = new EgressProxy(listener, socketPath, allowed, logger);
        _ = proxy.AcceptAsync();
        return proxy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Dispose();
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        _stopping.Dispose();
        try
        {
            File.Delete(SocketPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The private folder it lies in is deleted right after.
        }
    }

    private async Task AcceptAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, stopping);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        _open[client] = true;
        Socket? upstream = null;
        try
        {
            var (head, length) = await ReadHeadAsync(client, stopping).ConfigureAwait(false);
            if (head is null)
            {
                return;
            }

            var end = ProxyRequest.EndOfHead(head.AsSpan(0, length));
            var request = ProxyRequest.Parse(head.AsSpan(0, end), out var problem);
            if (request is null)
            {
                await AnswerAsync(client, "400 Bad Request", $"The sandbox's proxy cannot serve this request: {problem}.", stopping).ConfigureAwait(false);
                return;
            }

            if (!_allowed.Allows(request.Host, request.Port))
            {
                Refuse(request.Target);
                await AnswerAsync(client, "403 Forbidden", $"The sandbox does not allow {request.Target}: it is not in NecroCode:Sandbox:AllowedHosts ({_allowed.Text}).", stopping).ConfigureAwait(false);
                return;
            }

            upstream = await ConnectAsync(request, stopping).ConfigureAwait(false);
            if (upstream is null)
            {
                await AnswerAsync(client, "502 Bad Gateway", $"The sandbox's proxy could not connect to {request.Target}.", stopping).ConfigureAwait(false);
                return;
            }

            _open[upstream] = true;
            if (request.IsTunnel)
            {
                await client.SendAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), stopping).ConfigureAwait(false);
            }
            else
            {
                await upstream.SendAsync(request.OriginHead(), stopping).ConfigureAwait(false);
            }

            if (length > end)
            {
                await upstream.SendAsync(head.AsMemory(end, length - end), stopping).ConfigureAwait(false);
            }

            await Task.WhenAll(RelayAsync(client, upstream, stopping), RelayAsync(upstream, client, stopping)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The process or the server hung up, or the process ended: the connection is over either way.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            if (upstream is not null)
            {
                _open.TryRemove(upstream, out _);
                upstream.Dispose();
            }
        }
    }

    private static async Task<(byte[]? Head, int Length)> ReadHeadAsync(Socket client, CancellationToken stopping)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (ProxyRequest.EndOfHead(buffer.AsSpan(0, length)) < 0)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= ProxyRequest.MaxHeadBytes)
                {
                    await AnswerAsync(client, "431 Request Header Fields Too Large", "The sandbox's proxy reads request heads of up to 64 KiB.", stopping).ConfigureAwait(false);
                    return (null, 0);
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await client.ReceiveAsync(buffer.AsMemory(length), stopping).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, 0);
            }

            length += read;
        }

        return (buffer, length);
    }

    private async Task<Socket?> ConnectAsync(ProxyRequest request, CancellationToken stopping)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await upstream.ConnectAsync(request.Host, request.Port, timeout.Token).ConfigureAwait(false);
            return upstream;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            Log.ConnectFailed(_logger, request.Target, ex.Message);
            upstream.Dispose();
            return null;
        }
    }

    private static async Task RelayAsync(Socket from, Socket to, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, stopping).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), stopping).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // One side is gone; closing both sockets ends the other direction.
            from.Dispose();
            to.Dispose();
        }
    }

    private static async Task AnswerAsync(Socket client, string status, string message, CancellationToken stopping)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await client.SendAsync(head, stopping).ConfigureAwait(false);
        await client.SendAsync(body, stopping).ConfigureAwait(false);
    }

    private void Refuse(string target)
    {
        Interlocked.CompareExchange(ref _firstRefused, target, null);
        Interlocked.Increment(ref _refused);
        Log.Refused(_logger, target);
    }
}
