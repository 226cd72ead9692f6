using System.Collections.Concurrent;
using System.Net.Sockets;

namespace NecroCode.AgentRunner.Docker.Tests;

/// <summary>
/// A Unix socket in front of the real engine that forwards every connection byte for byte, and can drop the
/// connections open at a moment (as a restarting engine or a broken socket would) while new ones still pass.
/// </summary>
internal sealed class EngineProxy : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public EngineProxy(string socketPath)
    {
        SocketPath = socketPath;
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(16);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    public string Endpoint => "unix://" + SocketPath;

    /// <summary>How many connections are open now.</summary>
    public int OpenConnections => _open.Count / 2;

    /// <summary>Closes every connection open now.</summary>
    public void DropConnections()
    {
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        DropConnections();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The listener was closed.
        }

        _stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await engine.ConnectAsync(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            _open[client] = 0;
            _open[engine] = 0;
            _ = PipeAsync(client, engine);
            _ = PipeAsync(engine, client);
        }
    }

    private async Task PipeAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Dropped.
        }

        Close(from);
        Close(to);
    }

    private void Close(Socket socket)
    {
        if (_open.TryRemove(socket, out _))
        {
            socket.Dispose();
        }
    }
}
