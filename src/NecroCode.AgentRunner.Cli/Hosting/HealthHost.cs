using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using NecroCode.AgentRunner.Cli.Health;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>Starts the health endpoint when <c>NecroCode:Health:Port</c> (<c>--health-port</c>) is set.</summary>
internal static class HealthHost
{
    public static Task<IAsyncDisposable?> StartAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var root = configuration.GetSection(RunnerHost.RootSection);
        var portText = root[HostKeys.HealthPort];

        // Without a port nothing of the endpoint (HttpListener and its assemblies) is loaded.
        return string.IsNullOrEmpty(portText) ? Task.FromResult<IAsyncDisposable?>(null) : StartEndpointAsync(services, root, portText, cancellationToken);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<IAsyncDisposable?> StartEndpointAsync(IServiceProvider services, IConfigurationSection root, string portText, CancellationToken cancellationToken)
    {
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new HostConfigurationException($"NecroCode:Health:Port '{portText}' is not a port (1-65535).");
        }

        var address = root[HostKeys.HealthAddress] is { Length: > 0 } configured ? configured : "127.0.0.1";
        try
        {
            return await HealthEndpoint.StartAsync(services, address, port, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpListenerException ex)
        {
            throw new HostConfigurationException($"The health endpoint could not listen on {address}:{port}: {ex.Message}", ex);
        }
    }
}
