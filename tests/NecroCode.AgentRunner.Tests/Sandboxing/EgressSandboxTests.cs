using System.Net;
using System.Net.Sockets;
using System.Text;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

/// <summary>
/// Network Hosts with real processes under bubblewrap: the allowed host is reached through the runner's proxy (plain HTTP
/// and a CONNECT tunnel), any other host is refused and counted, a connection that ignores the proxy reaches nothing, and
/// the proxy's relay does not outlive the process.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class EgressSandboxTests
{
    private LocalHttpServer _server = null!;

    [SetUp]
    public void SetUp()
    {
        SandboxFixture.RequireMechanism(SandboxMode.Bubblewrap, SandboxNetwork.Hosts);
        _server = new LocalHttpServer();
    }

    [TearDown]
    public void TearDown() => _server?.Dispose();

    [Test]
    public async Task AllowedHost_IsReachedThroughTheProxy_PlainAndTunnelled()
    {
        using var fixture = Fixture("127.0.0.1");
        var events = new RecordingEventSink();

        var result = await fixture.RunAsync($"curl -sS --max-time 20 http://127.0.0.1:{_server.Port}/plain && echo && curl -sS --max-time 20 -p http://127.0.0.1:{_server.Port}/tunnel", events);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain("hello /plain").And.Contain("hello /tunnel"));
            Assert.That(_server.RequestLines, Is.EquivalentTo(new[] { "GET /plain HTTP/1.1", "GET /tunnel HTTP/1.1" }));
            Assert.That(events.Events.OfType<SandboxApplied>().Single(), Is.EqualTo(new SandboxApplied("sandboxed", "bubblewrap", "hosts", "allowed hosts: 127.0.0.1")).Using<SandboxApplied>(SameContent));
            Assert.That(events.Warnings, Is.Empty);
        });
    }

    [Test]
    public async Task OtherHost_IsRefusedWithAMessageNamingTheSetting_AndCounted()
    {
        using var fixture = Fixture("api.example.com");
        var events = new RecordingEventSink();
        using var usage = ProcessUsageScope.Begin();

        var result = await fixture.RunAsync($"curl -sS --max-time 20 http://127.0.0.1:{_server.Port}/secret; curl -sS --max-time 20 -p http://127.0.0.1:{_server.Port}/tunnel; exit 3", events);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.StandardOutput, Does.Contain($"The sandbox does not allow 127.0.0.1:{_server.Port}: it is not in NecroCode:Sandbox:AllowedHosts (api.example.com)."));
            Assert.That(_server.RequestLines, Is.Empty);
            Assert.That(events.Warnings, Has.One.StartsWith("The sandbox refused 2 connection(s) of '/bin/sh' to hosts not in NecroCode:Sandbox:AllowedHosts; first: 127.0.0.1:"));
            Assert.That(usage.SandboxRefusals, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task AllowedNameThatResolvesToThisMachine_IsRefused()
    {
        using var fixture = Fixture("localhost");
        var events = new RecordingEventSink();

        var result = await fixture.RunAsync($"curl -sS --max-time 20 http://localhost:{_server.Port}/inner", events);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutput, Does.Contain($"The sandbox does not allow localhost:{_server.Port}: it resolves to ").And.Contain("a loopback or link-local address"));
            Assert.That(_server.RequestLines, Is.Empty);
            Assert.That(events.Warnings, Has.One.Contain("refused 1 connection(s)"));
        });
    }

    [Test]
    public async Task ServicesUnixSocketsUnderRun_AreOutOfReach()
    {
        using var fixture = Fixture("127.0.0.1");
        string? socketPath = null;
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socketPath = $"/run/necrocode-test-{Guid.NewGuid():N}.sock";
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
        }
        catch (Exception ex) when (ex is SocketException or UnauthorizedAccessException)
        {
            socketPath = null; // Only root may create one there; the listing below still shows /run empty.
        }

        try
        {
            var probe = socketPath is null ? "" : $"; socat -u /dev/null UNIX-CONNECT:{socketPath} && echo reached";
            var result = await fixture.RunAsync($"echo \"entries: $(ls -A /run | wc -l)\"{probe}");

            Assert.Multiple(() =>
            {
                Assert.That(result.StandardOutput, Does.Contain("entries: 0").And.Not.Contain("reached"), result.StandardError);
                Assert.That(socketPath is null || !listener.Poll(0, SelectMode.SelectRead), Is.True, "nothing connected to the socket");
            });
        }
        finally
        {
            if (socketPath is not null)
            {
                File.Delete(socketPath);
            }
        }
    }

    [Test]
    public async Task RelayThatCannotStart_EndsTheProcessSayingWhy()
    {
        using var folder = new TempFolder("necrocode-egress-test-");
        var broken = Path.Combine(folder.Path, "socat");
        File.WriteAllText(broken, "#!/bin/sh\nexit 1\n");
        File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        using var fixture = new SandboxFixture(SandboxMode.Bubblewrap, o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = ["127.0.0.1"]; o.Socat = broken; });

        var result = await fixture.RunAsync("echo ran > ran.txt");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(126));
            Assert.That(result.StandardError, Does.Contain("The sandbox's proxy relay").And.Contain("could not start"));
            Assert.That(File.Exists(Path.Combine(fixture.Workspace, "ran.txt")), Is.False);
        });
    }

    [Test]
    public async Task ConnectionThatIgnoresTheProxy_ReachesNothing()
    {
        using var fixture = Fixture("127.0.0.1");

        var result = await fixture.RunAsync($"curl -sS --noproxy '*' --max-time 5 http://127.0.0.1:{_server.Port}/direct; echo \"curl $?\"; python3 -c \"import socket; socket.create_connection(('127.0.0.1', {_server.Port}), timeout=5); print('connected')\"");

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutput, Does.Contain("curl 7").And.Not.Contain("connected"));
            Assert.That(_server.RequestLines, Is.Empty);
            Assert.That(_server.Connections, Is.Zero);
        });
    }

    [Test]
    public async Task TheRelay_EndsWithTheProcess()
    {
        using var fixture = Fixture("127.0.0.1");

        var result = await fixture.RunAsync("echo $TMPDIR; (sh -c 'sleep 300; true' \"$TMPDIR\" &) ; true");
        var privateFolder = result.StandardOutput.Trim();

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(privateFolder, Does.Contain("necrocode-sandbox-"));
            Assert.That(ProcessesMentioning(privateFolder), Is.Empty, "no relay or child left running");
            Assert.That(File.Exists(Path.Combine(privateFolder, "egress.sock")), Is.False);
        });
    }

    [Test]
    public void Landlock_CannotServeAHostList_RefusesToStartSayingWhy()
    {
        using var fixture = new SandboxFixture(SandboxMode.Landlock, o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = ["127.0.0.1"]; });

        var error = Assert.ThrowsAsync<ProcessStartException>(() => fixture.RunAsync("echo never > ran.txt"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("Landlock cannot tell hosts apart"));
            Assert.That(File.Exists(Path.Combine(fixture.Workspace, "ran.txt")), Is.False);
        });
    }

    [Test]
    public void MissingSocat_RefusesToStartSayingWhatToInstall()
    {
        using var fixture = new SandboxFixture(SandboxMode.Auto, o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = ["127.0.0.1"]; o.Socat = "/nonexistent/socat"; o.UnconfinedInContainer = false; });

        var error = Assert.ThrowsAsync<ProcessStartException>(() => fixture.RunAsync("echo never > ran.txt"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("apt-get install socat"));
            Assert.That(File.Exists(Path.Combine(fixture.Workspace, "ran.txt")), Is.False);
        });
    }

    private static SandboxFixture Fixture(params string[] hosts) =>
        new(SandboxMode.Bubblewrap, o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = hosts; });

    private static bool SameContent(SandboxApplied x, SandboxApplied y) =>
        (x.Step, x.Mechanism, x.Network, x.Note) == (y.Step, y.Mechanism, y.Network, y.Note);

    private static List<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(commandLine);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended, or is not a process.
            }
        }

        return found;
    }

    /// <summary>An HTTP server on 127.0.0.1 that answers every request with "hello PATH" and remembers its request lines.</summary>
    private sealed class LocalHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<string> _requestLines = [];
        private int _connections;

        public LocalHttpServer()
        {
            _listener.Start();
            _ = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public IReadOnlyList<string> RequestLines
        {
            get
            {
                lock (_requestLines)
                {
                    return [.. _requestLines];
                }
            }
        }

        public void Dispose() => _listener.Stop();

        private async Task ServeAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections);
                _ = AnswerAsync(client);
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.Latin1);
                    var requestLine = await reader.ReadLineAsync();
                    if (requestLine is null)
                    {
                        return;
                    }

                    while (await reader.ReadLineAsync() is { Length: > 0 })
                    {
                    }

                    lock (_requestLines)
                    {
                        _requestLines.Add(requestLine);
                    }

                    var body = Encoding.ASCII.GetBytes("hello " + requestLine.Split(' ')[1]);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head);
                    await stream.WriteAsync(body);
                }
                catch (IOException)
                {
                    // The client hung up.
                }
            }
        }
    }
}
