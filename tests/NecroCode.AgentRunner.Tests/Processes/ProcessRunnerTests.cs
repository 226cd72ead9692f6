using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
[Category("Integration")]
public sealed partial class ProcessRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    internal static ProcessRunner CreateRunner(Action<ProcessRunnerOptions>? configure = null, ISecretMasker? masker = null)
    {
        var options = new ProcessRunnerOptions
        {
            InterruptGracePeriod = TimeSpan.FromSeconds(1),
            TerminateGracePeriod = TimeSpan.FromSeconds(1),
            SampleInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return new ProcessRunner(Options.Create(options), TimeProvider.System, NullLogger<ProcessRunner>.Instance, masker);
    }

    private ProcessSpec Script(string body, IRunEventSink? events = null, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) => new()
    {
        FileName = _dir.WriteScript("script-" + Guid.NewGuid().ToString("N") + ".sh", body),
        WorkingDirectory = _dir.Path,
        Events = events,
        Environment = environment ?? new Dictionary<string, string?>(),
        Timeout = timeout ?? Generous,
        StepName = "unit",
    };

    [Test]
    public async Task RunAsync_PrintingLines_PublishesThemInOrder()
    {
        var sink = new RecordingEventSink();
        var spec = Script("i=1; while [ $i -le 300 ]; do echo \"line $i\"; i=$((i+1)); done; echo oops >&2", sink);

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        var expected = Enumerable.Range(1, 300).Select(i => $"line {i}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(sink.LinesOf(OutputSource.StandardOutput), Is.EqualTo(expected));
            Assert.That(sink.LinesOf(OutputSource.StandardError), Is.EqualTo(new[] { "oops" }));
            Assert.That(sink.Events.OfType<OutputLine>().Select(l => l.Step).Distinct(), Is.EqualTo(new[] { "unit" }));
            Assert.That(result.StandardOutput, Does.EndWith("line 299\nline 300"));
            Assert.That(result.StandardError, Is.EqualTo("oops"));
        });
    }

    [Test]
    public async Task RunAsync_SecretInOutput_IsMaskedInEventsAndResult()
    {
        var sink = new RecordingEventSink();
        var spec = Script("echo token=hunter2 here; echo hunter2 >&2", sink);

        var result = await CreateRunner(masker: new SecretMaskerStub("hunter2")).RunAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(sink.LinesOf(OutputSource.StandardOutput), Is.EqualTo(new[] { "token=*** here" }));
            Assert.That(sink.LinesOf(OutputSource.StandardError), Is.EqualTo(new[] { "***" }));
            Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public async Task RunAsync_StandardInput_IsDeliveredThenClosed()
    {
        var spec = Script("cat; echo end") with { StandardInput = "first\nsecond ü\n" };

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        Assert.That(result.StandardOutput, Is.EqualTo("first\nsecond ü\nend"));
    }

    [Test]
    public async Task RunAsync_NoStandardInput_ClosesItAtOnce()
    {
        var spec = Script("cat; echo eof");

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        Assert.That(result.StandardOutput, Is.EqualTo("eof"));
    }

    [Test]
    public async Task RunAsync_ExplicitEnvironment_HidesRunnerVariables()
    {
        var name = "NECRO_TEST_RUNNER_VAR_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-runner");
        try
        {
            var spec = Script($"echo \"${{{name}-unset}} $GIVEN ${{PATH:+has-path}}\"", environment: new Dictionary<string, string?> { ["GIVEN"] = "given" });

            var isolated = await CreateRunner().RunAsync(spec, CancellationToken.None);
            var inherited = await CreateRunner().RunAsync(spec with { InheritEnvironment = true }, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(isolated.StandardOutput, Is.EqualTo("unset given has-path"));
                Assert.That(inherited.StandardOutput, Is.EqualTo("from-runner given has-path"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Test]
    public async Task RunAsync_NullVariable_RemovesInheritedOne()
    {
        var spec = Script("echo \"${HOME-unset}\"", environment: new Dictionary<string, string?> { ["HOME"] = null });

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        Assert.That(result.StandardOutput, Is.EqualTo("unset"));
    }

    [Test]
    public async Task RunAsync_Child_LeadsItsOwnProcessGroup()
    {
        var spec = Script("echo $$; cut -d' ' -f5,6 /proc/$$/stat");

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        var lines = result.StandardOutput.Split('\n');
        Assert.That(lines[1], Is.EqualTo($"{lines[0]} {lines[0]}"), "process group and session id equal the child's pid");
    }

    [Test]
    public async Task RunAsync_NonZeroExit_ReturnsExitCode()
    {
        var result = await CreateRunner().RunAsync(Script("exit 3"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.TimedOut, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_LongLine_IsSplitAtMaxLength()
    {
        var sink = new RecordingEventSink();
        var spec = Script("head -c 250 /dev/zero | tr '\\0' a; echo; echo short", sink);

        await CreateRunner(o => o.MaxLineLength = 100).RunAsync(spec, CancellationToken.None);

        Assert.That(sink.LinesOf(OutputSource.StandardOutput).Select(l => l.Length), Is.EqualTo(new[] { 100, 100, 50, 5 }));
    }

    [Test]
    public void RunAsync_MissingProgram_ThrowsProcessStartException()
    {
        var spec = new ProcessSpec { FileName = "necrocode-no-such-program", WorkingDirectory = _dir.Path };

        var ex = Assert.ThrowsAsync<ProcessStartException>(() => CreateRunner().RunAsync(spec, CancellationToken.None));

        Assert.That(ex!.FileName, Is.EqualTo("necrocode-no-such-program"));
    }

    [Test]
    public void RunAsync_MissingWorkingDirectory_ThrowsProcessStartException()
    {
        var spec = new ProcessSpec { FileName = "/bin/true", WorkingDirectory = Path.Combine(_dir.Path, "missing") };

        var ex = Assert.ThrowsAsync<ProcessStartException>(() => CreateRunner().RunAsync(spec, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("working directory"));
    }

    [Test]
    public async Task RunAsync_BackgroundProcessLeftBehind_IsStoppedAfterExit()
    {
        var pidFile = _dir.Combine("bg.pid");
        var spec = Script($"sleep 300 >/dev/null 2>&1 &\necho $! > {pidFile}\nexit 0");

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(ProcessProbe.IsAlive(pid), Is.False);
        });
    }
}
