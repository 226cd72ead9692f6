using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Kestrel on 127.0.0.1 (random port) answering the Kubernetes REST paths of the served resources.</summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectHandlers _objects;
    private readonly WatchStream _watches;
    private readonly ClusterFaults _faults;
    private readonly PodLogEndpoint _logs;

    public ApiServer(ObjectHandlers objects, WatchStream watches, PodLogEndpoint logs, ClusterFaults faults)
    {
        _objects = objects;
        _watches = watches;
        _logs = logs;
        _faults = faults;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public async Task StartAsync()
    {
        await _app.StartAsync().ConfigureAwait(false);
        var address = _app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            : throw new InvalidOperationException("Kestrel did not start.");
        BaseAddress = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json + "\n");
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/version")
            {
                await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "33", ["gitVersion"] = "v1.33.0-necrocode-fake", ["platform"] = "linux/amd64" }.ToJsonString()).ConfigureAwait(false);
                return;
            }

            var route = ApiRoute.Parse(path) ?? throw ApiError.NoRoute();
            var query = context.Request.Query;
            var verb = (context.Request.Method, route.Name) switch
            {
                ("GET", null) => query["watch"] is ["true" or "1"] ? "watch" : "list",
                ("GET", _) => "get",
                ("POST", null) => "create",
                ("DELETE", null) => "deletecollection",
                ("DELETE", _) => "delete",
                ("PUT", _) => "update",
                ("PATCH", _) => "patch",
                _ => throw ApiError.MethodNotAllowed(context.Request.Method, route.ResourcePath),
            };
            if (_faults.Take(verb, route.ResourcePath) is { } fault)
            {
                throw fault;
            }

            if (route.Namespace is null && verb is not ("list" or "watch"))
            {
                throw ApiError.NoRoute();
            }

            switch (verb, route.Subresource)
            {
                case ("watch", null):
                    await _watches.ServeAsync(context, route).ConfigureAwait(false);
                    break;
                case ("list", null):
                    await _objects.ListAsync(context, route).ConfigureAwait(false);
                    break;
                case ("get", "log"):
                    await _logs.ServeAsync(context, route).ConfigureAwait(false);
                    break;
                case ("get", _):
                    await _objects.GetAsync(context, route).ConfigureAwait(false);
                    break;
                case ("create", null):
                    await _objects.CreateAsync(context, route).ConfigureAwait(false);
                    break;
                case ("delete", null):
                    await _objects.DeleteAsync(context, route).ConfigureAwait(false);
                    break;
                default:
                    throw ApiError.MethodNotAllowed(verb, route.ResourcePath);
            }
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            if (error.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, error.Code, error.ToStatus().ToJsonString()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var error = new ApiError(500, "InternalError", $"Internal error occurred: {ex.GetType().Name}: {ex.Message} {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            await WriteJsonAsync(context, 500, error.ToStatus().ToJsonString()).ConfigureAwait(false);
        }
    }
}
