using System.Collections;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Posix;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Runs child processes on Linux so that they always stop: each child starts as the leader of a new session and
/// process group, so its pid is also its session and group id — natively with <c>posix_spawn</c> and
/// <c>POSIX_SPAWN_SETSID</c> (<see cref="ProcessRunnerOptions.NativeSpawn"/>), or through
/// <see cref="ProcessRunnerOptions.SessionWrapper"/> (<c>setsid</c>) where the C library lacks that; every child carries a
/// per-call tracking variable (<c>NECROCODE_RUN_TRACE_&lt;id&gt;=1</c>) that its descendants inherit, so a sweep of
/// <c>/proc</c> finds double-forked daemons and processes that left the group. On timeout, cancellation or a
/// broken limit the tree is stopped: SIGINT to the group, grace, SIGTERM, grace, SIGKILL, then every tracked
/// straggler is killed. Processes left behind by a child that exited by itself are stopped too.
/// </summary>
/// <remarks>
/// Output is read concurrently, line by line in bounded memory, masked, and published as <see cref="OutputLine"/>
/// events. Memory (resident set) and CPU time of the tree are sampled from <c>/proc</c>. A process that clears
/// its environment (<c>env -i</c>) and leaves the group escapes the sweep.
/// </remarks>
internal sealed partial class ProcessRunner : IProcessRunner
{
    /// <summary>The prefix of the tracking variable every child of a call carries.</summary>
    public const string TrackingVariablePrefix = "NECROCODE_RUN_TRACE_";

    private static readonly string[] BaseVariables = ["PATH", "HOME", "LANG", "TMPDIR"];

    private readonly ProcessRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessRunner> _logger;
    private readonly ISecretMasker _masker;
    private readonly string? _sessionWrapper;
    private readonly ProcessSandbox? _sandbox;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">Grace periods, limits and sampling.</param>
    /// <param name="timeProvider">The clock for durations, timeouts and grace periods.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="masker">Masks secrets in output; nothing is masked when null.</param>
    /// <param name="sandbox">Confines the processes whose spec asks for it (<see cref="ProcessSpec.ConfinedTo"/>); none are confined when null.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="masker"/> and <paramref name="sandbox"/> is null.</exception>
    public ProcessRunner(IOptions<ProcessRunnerOptions> options, TimeProvider timeProvider, ILogger<ProcessRunner> logger, ISecretMasker? masker = null, ProcessSandbox? sandbox = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _masker = masker ?? NullSecretMasker.Instance;
        _sandbox = sandbox;
        _sessionWrapper = FindSessionWrapper(_options.SessionWrapper);
        if (_sessionWrapper is null && !string.IsNullOrEmpty(_options.SessionWrapper))
        {
            Log.SessionWrapperMissing(_logger, _options.SessionWrapper);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The limits are the spec's (<see cref="ProcessSpec.MemoryLimitBytes"/>, <see cref="ProcessSpec.CpuTimeLimit"/>),
    /// else the options'. Why the tree ended is in <see cref="ProcessResult.StopReason"/> and
    /// <see cref="ProcessResult.StopMessage"/>; the sentence is also the last line of its standard error.
    /// </remarks>
    /// <exception cref="ProcessStartException">The program or working directory is not usable.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the tree is gone when this is thrown.</exception>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessStartException(spec.FileName, $"the working directory '{spec.WorkingDirectory}' does not exist.");
        }

        var traceName = TrackingVariablePrefix + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var environment = BuildEnvironment(spec, traceName);
        using var confinement = spec.ConfinedTo is not null ? _sandbox?.Prepare(spec, environment) : null;
        environment.TryGetValue("PATH", out var searchPath);
        var program = ExecutableResolver.Resolve(spec.FileName, spec.WorkingDirectory, searchPath);
        var refusals = confinement is { Mechanism: not SandboxMechanism.None } ? new RefusalCountingSink(spec.Events) : null;
        var events = refusals ?? spec.Events;

        var started = _time.GetTimestamp();
        using var process = StartChild(spec, program, environment, confinement);
        using var live = LiveProcesses.Track(traceName, process.Id);
        Log.Started(_logger, spec.StepName, program, process.Id);
        Announce(spec, confinement);
        var tree = new ProcessTree(process.Id, process.LeadsGroup, ProcFs.EntryBytes(traceName, "1"));
        var stdout = new OutputPump(process.StandardOutput, OutputSource.StandardOutput, spec.StepName, events, _masker, _options.MaxLineLength, spec.CaptureLimit, OnSinkError);
        var stderr = new OutputPump(process.StandardError, OutputSource.StandardError, spec.StepName, events, _masker, _options.MaxLineLength, spec.CaptureLimit, OnSinkError);
        var pumps = Task.WhenAll(stdout.StartAsync(), stderr.StartAsync());
        var stdin = WriteStandardInputAsync(process, spec.StandardInput);

        var (reason, message) = await WatchAsync(process, tree, spec, cancellationToken).ConfigureAwait(false);

        await DrainAsync(process, pumps, stdin, spec.StepName).ConfigureAwait(false);
        var duration = _time.GetElapsedTime(started);
        int? exitCode = reason == ProcessStopReason.Exited ? process.ExitCode : null;
        Log.Finished(_logger, spec.StepName, process.Id, ExitStatus.Describe(exitCode), reason, duration.TotalMilliseconds);
        // The samples of /proc, or what wait4 reported for the child, whichever is larger: a child shorter than one
        // sample interval is never sampled while it runs.
        // No process has a resident set of 0: a tree that was never seen alive has an unknown peak, not a zero one.
        long? peakMemory = Larger(ProcFs.IsAvailable && tree.PeakResidentBytes > 0 ? tree.PeakResidentBytes : null, process.PeakResidentBytes);
        TimeSpan? cpuTime = Larger(ProcFs.IsAvailable ? tree.CpuTime : null, process.CpuTime);
        ProcessTelemetry.Record(spec.StepName, reason, duration, peakMemory, cpuTime);
        ProcessUsageScope.Record(peakMemory, cpuTime);
        ReportRefusals(spec, confinement, refusals);

        if (reason == ProcessStopReason.Cancelled)
        {
            throw new OperationCanceledException($"'{spec.FileName}' was cancelled; its process tree was stopped.", cancellationToken);
        }

        var errorTail = stderr.Tail;
        if (message is not null)
        {
            errorTail = ProcessStopLine.Append(errorTail, reason, message);
        }

        return new ProcessResult(exitCode, reason == ProcessStopReason.TimedOut, duration, stdout.Tail, errorTail)
        {
            PeakMemoryBytes = peakMemory,
            CpuTime = cpuTime,
            StopReason = reason,
            StopMessage = message,
        };
    }

    private static Dictionary<string, string> BuildEnvironment(ProcessSpec spec, string traceName)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            var value = entry.Value as string ?? "";

            // Tracking variables of an enclosing run are always kept, so that run can find these processes too.
            if (spec.InheritEnvironment || name.StartsWith(TrackingVariablePrefix, StringComparison.Ordinal) || BaseVariables.Contains(name, StringComparer.Ordinal))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }

        environment[traceName] = "1";
        if (RunTrace.Current is { } run)
        {
            environment[RunTrace.VariableName(run)] = "1";
        }

        return environment;
    }

    /// <summary>
    /// Starts the child natively as a session leader when possible, else through <see cref="System.Diagnostics.Process"/>
    /// and the session wrapper; a confined child under Landlock (always natively) or behind bubblewrap.
    /// </summary>
    private ChildProcess StartChild(ProcessSpec spec, string program, Dictionary<string, string> environment, ConfinedLaunch? confinement)
    {
        IReadOnlyList<string> arguments = spec.Arguments;
        switch (confinement)
        {
            case { Mechanism: SandboxMechanism.Landlock }:
                using (var ruleset = CreateRuleset(program, confinement))
                {
                    return LandlockSpawn.Start(program, arguments, spec.WorkingDirectory, environment, ruleset);
                }

            case { Mechanism: SandboxMechanism.Bubblewrap, Bubblewrap: { } bubblewrap }:
                var confined = confinement.Egress is var (proxy, socat) ? EgressRelay.Wrap(socat, proxy.SocketPath, program, spec.Arguments) : [program, .. spec.Arguments];
                arguments = [.. BubblewrapArguments.Build(confinement.Policy, spec.WorkingDirectory), .. confined];
                program = bubblewrap;
                break;
        }

        if (_options.NativeSpawn && SpawnedChildProcess.TryStart(program, arguments, spec.WorkingDirectory, environment) is { } spawned)
        {
            return spawned;
        }

        return ManagedChildProcess.Start(program, arguments, spec.WorkingDirectory, environment, _sessionWrapper);
    }

    private static async Task WriteStandardInputAsync(ChildProcess process, string? input)
    {
        var writer = new StreamWriter(process.StandardInput, new UTF8Encoding(false));
        try
        {
            if (input is not null)
            {
                await writer.WriteAsync(input).ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child closed its input (or exited) before reading all of it.
        }
        finally
        {
            try
            {
                writer.Close();
            }
            catch (IOException)
            {
                // Same as above.
            }
        }
    }

    private async Task DrainAsync(ChildProcess process, Task pumps, Task stdin, string step)
    {
        var both = Task.WhenAll(pumps, stdin);
        var drained = await Task.WhenAny(both, Task.Delay(_options.OutputDrainTimeout, _time)).ConfigureAwait(false);
        if (drained != both)
        {
            // A process outside the tree still holds the pipes (or does not read its input); stop waiting for them.
            Log.OutputNotClosed(_logger, step, process.Id);
            process.StandardInput.Dispose();
            process.StandardOutput.Dispose();
            process.StandardError.Dispose();
        }
    }

    private static T? Larger<T>(T? sampled, T? reported)
        where T : struct, IComparable<T> =>
        sampled is { } a && reported is { } b ? (a.CompareTo(b) >= 0 ? a : b) : sampled ?? reported;

    private void OnSinkError(Exception exception) => Log.SinkFailed(_logger, exception);

    private static string? FindSessionWrapper(string? wrapper)
    {
        if (string.IsNullOrWhiteSpace(wrapper) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return ExecutableResolver.Resolve(wrapper, Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PATH") + ":/usr/bin:/bin");
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }
}
