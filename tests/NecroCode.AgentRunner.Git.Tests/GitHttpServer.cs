using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>
/// A real smart-HTTP git server for tests: Kestrel on 127.0.0.1 (random port) running <c>git http-backend</c>
/// as CGI behind Basic auth, with fault injection (503s, a dropped connection). While serving it also scans
/// the command lines of every process on the machine for the token (a client passing it as an argument would
/// show up there while its request is served).
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _projectRoot;
    private readonly string _user;
    private readonly string _token;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private int _requestCount;
    private int _failuresLeft;
    private int _tokenInCommandLines;

    private GitHttpServer(string projectRoot, string user, string token, bool everyInterface)
    {
        _projectRoot = projectRoot;
        _user = user;
        _token = token;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(everyInterface ? IPAddress.Any : IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests failed with 503 before serving any (counts down).</summary>
    public int FailFirst { get => _failuresLeft; set => _failuresLeft = value; }

    /// <summary>The request number (from 1, counted after the 503s) whose connection is dropped; 0 for none.</summary>
    public int AbortRequest { get; set; }

    /// <summary>Every request: method, path and query, and the status answered.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The <c>Authorization</c> header of every request that carried one, as received.</summary>
    public IReadOnlyList<string> AuthorizationHeaders => [.. _authorizations];

    /// <summary>Whether the token was seen in any process's command line while a request was served.</summary>
    public bool TokenSeenInCommandLine => _tokenInCommandLines > 0;

    /// <summary>The URL of a repository under the project root.</summary>
    public string UrlOf(string repository) => new Uri(BaseAddress, repository).AbsoluteUri;

    /// <summary>
    /// Starts a server for the bare repositories under <paramref name="projectRoot"/>, accepting only
    /// <paramref name="user"/>:<paramref name="token"/>: on 127.0.0.1, or, given <paramref name="advertisedHost"/>, on every
    /// interface with URLs naming that host (for clients elsewhere, such as the pods of a real cluster).
    /// </summary>
    public static async Task<GitHttpServer> StartAsync(string projectRoot, string user, string token, string? advertisedHost = null)
    {
        var server = new GitHttpServer(projectRoot, user, token, everyInterface: advertisedHost is not null);
        await server._app.StartAsync();
        var address = server._app.Services.GetService(typeof(IServer)) is IServer s
            ? new Uri(s.Features.Get<IServerAddressesFeature>()!.Addresses.Single())
            : throw new InvalidOperationException("Kestrel did not start.");
        server.BaseAddress = new UriBuilder(address) { Host = advertisedHost ?? "127.0.0.1", Path = "/" }.Uri;
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        ScanCommandLines();
        if (context.Request.Headers.Authorization.Count > 0)
        {
            _authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        }

        var line = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}";
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            _requests.Enqueue($"{line} -> 503");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var number = Interlocked.Increment(ref _requestCount);
        if (number == AbortRequest)
        {
            _requests.Enqueue($"{line} -> aborted");
            context.Abort();
            return;
        }

        if (!IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            _requests.Enqueue($"{line} -> 401");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }

        _requests.Enqueue($"{line} -> cgi");
        await RunBackendAsync(context);
    }

    private bool IsAuthorized(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])) == $"{_user}:{_token}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task RunBackendAsync(HttpContext context)
    {
        var request = context.Request;
        var startInfo = new ProcessStartInfo("git", ["http-backend"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = startInfo.Environment;
        environment["GIT_PROJECT_ROOT"] = _projectRoot;
        environment["GIT_HTTP_EXPORT_ALL"] = "1";
        environment["PATH_INFO"] = request.Path.Value ?? "/";
        environment["REQUEST_METHOD"] = request.Method;
        environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        environment["CONTENT_TYPE"] = request.ContentType ?? "";
        environment["REMOTE_USER"] = _user;
        environment["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        environment["GIT_HTTP_MAX_REQUEST_BUFFER"] = "100M";
        if (request.ContentLength is long length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.Count > 0)
        {
            environment["HTTP_CONTENT_ENCODING"] = request.Headers.ContentEncoding.ToString();
        }

        if (request.Headers.TryGetValue("Git-Protocol", out var protocol))
        {
            environment["GIT_PROTOCOL"] = protocol.ToString();
        }

        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEndAsync();
        var input = Task.Run(async () =>
        {
            await request.Body.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        });
        var output = process.StandardOutput.BaseStream;
        await WriteCgiResponseAsync(output, context.Response);
        await output.CopyToAsync(context.Response.Body);
        await Task.WhenAll(input, errors, process.WaitForExitAsync());
    }

    private static async Task WriteCgiResponseAsync(Stream output, HttpResponse response)
    {
        // CGI headers: "Name: value" lines up to an empty line; "Status: 404 Not Found" sets the status.
        while (await ReadHeaderLineAsync(output) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }
    }

    private static async Task<string> ReadHeaderLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
        {
            bytes.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
    }

    private void ScanCommandLines()
    {
        if (!Directory.Exists("/proc"))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.Contains(_token, StringComparison.Ordinal) ||
                    commandLine.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_token}")), StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _tokenInCommandLines);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended or is not ours to read.
            }
        }
    }
}
