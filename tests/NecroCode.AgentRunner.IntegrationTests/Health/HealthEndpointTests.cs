using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Health;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.IntegrationTests.Health;

[TestFixture]
[Category("Integration")]
public sealed class HealthEndpointTests
{
    private TempFolder _root = null!;
    private ServiceProvider _services = null!;
    private HealthEndpoint _endpoint = null!;
    private HttpClient _client = null!;
    private bool _immutable;

    private string ArtifactsPath => _root.Combine("artifacts");

    [SetUp]
    public async Task SetUp()
    {
        _root = new TempFolder("necrocode-health-http-");
        Directory.CreateDirectory(ArtifactsPath);
        Directory.CreateDirectory(_root.Combine("slots", "slot-1"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<FileSystemOptions>().Configure(o => o.RootPath = _root.Path);
        services.AddSingleton<ITaskRegistry, FileSystemTaskRegistry>();
        services.AddSingleton<ISlotPool, FileSystemSlotPool>();
        services.AddSingleton<IArtifactStore, FileSystemArtifactStore>();
        services.AddHealthChecks().AddAgentRunnerHealthChecks();
        _services = services.BuildServiceProvider();
        _endpoint = await HealthEndpoint.StartAsync(_services, "127.0.0.1", FreePort(), CancellationToken.None);
        _client = new HttpClient { BaseAddress = _endpoint.Address, Timeout = TimeSpan.FromMinutes(1) };
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _endpoint.DisposeAsync();
        await _services.DisposeAsync();
        if (_immutable)
        {
            Run("chattr", "-i", ArtifactsPath);
        }

        _root.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error}");
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync()
    {
        using var response = await _client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }

    private static string CheckStatus(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("status").GetString()!;

    [Test]
    public async Task Healthz_WhileRunning_Returns200Healthy()
    {
        using var response = await _client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
        });
    }

    [Test]
    public async Task Readyz_AllReachable_Returns200WithEachCheck()
    {
        var (status, body) = await ReadyAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EquivalentTo(new[]
            {
                AgentRunnerHealthChecks.Registry, AgentRunnerHealthChecks.ArtifactStore, AgentRunnerHealthChecks.SlotPool, AgentRunnerHealthChecks.Shutdown,
            }));
            Assert.That(body.GetProperty("checks").EnumerateArray().All(c => c.GetProperty("description").GetString()!.Length > 0), Is.True);
        });
    }

    [Test]
    public async Task Readyz_ArtifactFolderRemovedUnderAWritableRoot_StaysReadyBecauseTheStoreCreatesIt()
    {
        Directory.Delete(ArtifactsPath);

        var (status, body) = await ReadyAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(CheckStatus(body, AgentRunnerHealthChecks.ArtifactStore), Is.EqualTo("Healthy"));
            Assert.That(body.ToString(), Does.Contain("does not exist yet"));
            Assert.That(Directory.Exists(ArtifactsPath), Is.False, "the probe creates nothing");
        });
    }

    [Test]
    public async Task Readyz_ArtifactFolderUnwritable_Returns503()
    {
        File.SetUnixFileMode(ArtifactsPath, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (Environment.UserName == "root")
        {
            // Root ignores file modes; the immutable attribute stops it too.
            Run("chattr", "+i", ArtifactsPath);
            _immutable = true;
        }

        var (status, body) = await ReadyAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(CheckStatus(body, AgentRunnerHealthChecks.ArtifactStore), Is.EqualTo("Unhealthy"));
        });
    }

    [Test]
    public async Task Readyz_AfterShutdownBegins_Returns503ButHealthzStays200()
    {
        _services.GetRequiredService<RunnerReadiness>().MarkShuttingDown();

        var (status, body) = await ReadyAsync();
        using var live = await _client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(CheckStatus(body, AgentRunnerHealthChecks.Shutdown), Is.EqualTo("Unhealthy"));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Get_UnknownPath_Returns404()
    {
        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task DisposeAsync_StopsServing()
    {
        var address = _endpoint.Address;
        await _endpoint.DisposeAsync();
        _endpoint = await HealthEndpoint.StartAsync(_services, "127.0.0.1", FreePort(), CancellationToken.None);

        Assert.That(async () => await _client.GetAsync(new Uri(address, "/healthz")), Throws.InstanceOf<HttpRequestException>());
    }
}
