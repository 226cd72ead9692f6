using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

/// <summary>
/// The HTTP proxy of one confined process whose network is <see cref="SandboxNetwork.Hosts"/>: listens on a Unix socket
/// (relayed into the process's network namespace, where it is the only way out), tunnels <c>CONNECT</c> and forwards
/// plain-HTTP requests to the allowed hosts, and answers every other host with <c>403</c> naming the setting. Names are
/// resolved here, outside the namespace; an allowed name that resolves to a loopback or link-local address (this
/// machine, a cloud's metadata service) is refused unless that address is allowed itself. At most
/// <see cref="MaxConnections"/> connections at once, and a request head must arrive within 30 s. <see cref="Dispose"/>
/// closes the listener and every connection.
/// </summary>
internal sealed partial class EgressProxy : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most connections open through one proxy at once; more are answered <c>503</c>.</summary>
    internal const int MaxConnections = 256;

    private readonly Socket _listener;
    private readonly HostAllowList _allowed;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private int _refused;
    private int _clients;
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
        var clients = Interlocked.Increment(ref _clients);
        try
        {
            if (clients > MaxConnections)
            {
                await AnswerAsync(client, "503 Service Unavailable", $"The sandbox's proxy serves at most {MaxConnections} connections at once.", stopping).ConfigureAwait(false);
                return;
            }

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

            var (connected, refusal) = await ConnectAsync(request, stopping).ConfigureAwait(false);
            if (connected is null)
            {
                if (refusal is not null)
                {
                    Refuse(request.Target);
                }

                await AnswerAsync(client, refusal is null ? "502 Bad Gateway" : "403 Forbidden", refusal ?? $"The sandbox's proxy could not connect to {request.Target}.", stopping).ConfigureAwait(false);
                return;
            }

            upstream = connected;

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
            Interlocked.Decrement(ref _clients);
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(HeadTimeout);
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

            var read = await client.ReceiveAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, 0);
            }

            length += read;
        }

        return (buffer, length);
    }

    /// <returns>The connected socket; or null and why the sandbox refuses the host, or null and null when it is unreachable.</returns>
    private async Task<(Socket? Socket, string? Refusal)> ConnectAsync(ProxyRequest request, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ConnectTimeout);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(request.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(request.Host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            Log.ConnectFailed(_logger, request.Target, ex.Message);
            return (null, null);
        }

        if (addresses.FirstOrDefault(a => IsThisMachineOrLinkLocal(a) && !_allowed.Allows(a.ToString(), request.Port)) is { } inner)
        {
            return (null, $"The sandbox does not allow {request.Target}: it resolves to {inner}, a loopback or link-local address; allow that address itself in NecroCode:Sandbox:AllowedHosts to reach it.");
        }

        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(addresses, request.Port, timeout.Token).ConfigureAwait(false);
            return (upstream, null);
        }
        catch (Exception ex)
        {
            upstream.Dispose();
            if (ex is SocketException || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
            {
                Log.ConnectFailed(_logger, request.Target, ex.Message);
                return (null, null);
            }

            throw;
        }
    }

    private static bool IsThisMachineOrLinkLocal(IPAddress address)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(mapped) || mapped.IsIPv6LinkLocal || mapped.Equals(IPAddress.Any) || mapped.Equals(IPAddress.IPv6Any)
            || (mapped.AddressFamily == AddressFamily.InterNetwork && mapped.GetAddressBytes() is [169, 254, ..]);
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
