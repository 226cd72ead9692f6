using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers like S3 in the ways the tests need, recording every request: either
/// one S3 error for every request (status and code, S3's XML error body), or a multipart upload whose given part
/// fails (refused, or never answered). How the store treats a failing server, without depending on one that fails
/// on demand.
/// </summary>
internal sealed class StubS3Server : IAsyncDisposable
{
    private const string UploadId = "stub-upload";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _seen = new();
    private readonly ConcurrentBag<Task> _answering = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _failingPartArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private readonly Func<HttpListenerRequest, Task<(int Status, string Body)>> _answer;

    public StubS3Server(int status, string code)
        : this(_ => Task.FromResult((status, Error(code))))
    {
    }

    private StubS3Server(Func<HttpListenerRequest, Task<(int Status, string Body)>> answer)
    {
        _answer = answer;
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>What the failing part of a <see cref="MultipartUpload"/> gets.</summary>
    public enum PartFault
    {
        /// <summary>A 400 InvalidRequest, which is not retried.</summary>
        Refused,

        /// <summary>No answer until the server stops.</summary>
        NeverAnswered,
    }

    public string Url { get; }

    public int Requests => _seen.Count;

    /// <summary>Every request so far as <c>METHOD query</c>, e.g. <c>PUT ?partNumber=2&amp;uploadId=stub-upload</c>.</summary>
    public IReadOnlyList<string> Seen => [.. _seen];

    /// <summary>Completes when the failing part of a <see cref="MultipartUpload"/> has arrived.</summary>
    public Task FailingPartArrived => _failingPartArrived.Task;

    /// <summary>
    /// A server that starts multipart uploads, takes their parts (each with an ETag) and their abort (204), except
    /// part <paramref name="failingPart"/>, which gets <paramref name="fault"/>; anything else is a 400.
    /// </summary>
    public static StubS3Server MultipartUpload(int failingPart, PartFault fault)
    {
        StubS3Server? server = null;
        server = new StubS3Server(async request =>
        {
            var query = request.Url!.Query;
            if (request.HttpMethod == "POST" && query.StartsWith("?uploads", StringComparison.Ordinal))
            {
                return (200, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult><Bucket>artifacts</Bucket><Key>key</Key><UploadId>{UploadId}</UploadId></InitiateMultipartUploadResult>");
            }

            if (request.HttpMethod == "DELETE" && query.Contains("uploadId=" + UploadId, StringComparison.Ordinal))
            {
                return (204, "");
            }

            if (request.HttpMethod != "PUT" || request.QueryString["partNumber"] is not { } part)
            {
                return (400, Error("InvalidRequest"));
            }

            if (part != failingPart.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return (200, "");
            }

            server!._failingPartArrived.TrySetResult();
            if (fault == PartFault.NeverAnswered)
            {
                await Task.Delay(Timeout.Infinite, server._stopping.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            return (400, Error("InvalidRequest"));
        });
        return server;
    }

    /// <summary>A port nothing listens on (a server that is down).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop;
        await Task.WhenAll(_answering);
        _stopping.Dispose();
    }

    private static string Error(string code) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>stub answer {code}</Message><RequestId>stub</RequestId></Error>";

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

            _seen.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.Query}");
            _answering.Add(AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            var (status, text) = await _answer(context.Request);
            var body = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            if (status == 200 && body.Length == 0)
            {
                context.Response.AddHeader("ETag", $"\"etag-{context.Request.QueryString["partNumber"]}\"");
            }

            context.Response.ContentType = "application/xml";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The client went away (a cancelled request) or the server stopped.
        }
    }
}
