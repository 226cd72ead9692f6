using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every request with one S3 error (status and code, S3's XML error body),
/// counting the requests: how the store treats a failing server, without depending on one that fails on demand.
/// </summary>
internal sealed class StubS3Server : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly int _status;
    private readonly string _code;
    private int _requests;

    public StubS3Server(int status, string code)
    {
        _status = status;
        _code = code;
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A port nothing listens on (a server that is down).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{_code}</Code><Message>stub answer {_code}</Message><RequestId>stub</RequestId></Error>");
            context.Response.StatusCode = _status;
            context.Response.ContentType = "application/xml";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
