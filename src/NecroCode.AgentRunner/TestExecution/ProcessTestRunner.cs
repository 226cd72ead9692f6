using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Runs a task's test commands: each command line through the configured shell (<c>/bin/sh -c</c>) in the
/// workspace, in order, through <see cref="IProcessRunner"/> (own process group, masked streamed output, the
/// whole tree stopped on timeout). With no commands, the command is detected from the repository.
/// </summary>
/// <remarks>
/// The overall outcome is <see cref="TestOutcome.Passed"/> only when every command passed; otherwise it is the
/// outcome of the first command that did not pass. A command stopped for breaking a memory or CPU time limit is
/// <see cref="TestOutcome.LimitExceeded"/>, with the reason in <see cref="TestCommandResult.StopMessage"/>. With fail-fast, the commands after a failure are
/// <see cref="TestOutcome.Skipped"/>. When no command is given and none is detected, the result holds one entry
/// with outcome <see cref="TestOutcome.Error"/> that says what was looked for.
/// </remarks>
internal sealed partial class ProcessTestRunner : ITestRunner
{
    private readonly IProcessRunner _processes;
    private readonly TestRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessTestRunner> _logger;

    /// <summary>Creates a test runner.</summary>
    /// <param name="processes">Runs the commands.</param>
    /// <param name="options">Shell, timeout and environment.</param>
    /// <param name="timeProvider">The clock for durations.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ProcessTestRunner(IProcessRunner processes, IOptions<TestRunnerOptions> options, TimeProvider timeProvider, ILogger<ProcessTestRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _processes = processes;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the running command's tree is gone.</exception>
    public async Task<TestRunResult> RunAsync(TestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _time.GetTimestamp();
        var commands = request.Commands.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        if (commands.Count == 0)
        {
            var detected = TestCommandDetector.Detect(request.WorkspacePath);
            if (detected is null)
            {
                Log.NothingDetected(_logger, request.WorkspacePath);
                var error = $"No test command was given and none was detected in '{request.WorkspacePath}' (looked for {TestCommandDetector.Looked}).";
                return new TestRunResult(TestOutcome.Error, [new TestCommandResult("", TestOutcome.Error, null, TimeSpan.Zero, "", error)], _time.GetElapsedTime(started));
            }

            Log.Detected(_logger, detected, request.WorkspacePath);
            commands.Add(detected);
        }

        var results = new List<TestCommandResult>(commands.Count);
        var stop = false;
        foreach (var command in commands)
        {
            if (stop)
            {
                results.Add(new TestCommandResult(command, TestOutcome.Skipped, null, TimeSpan.Zero, "", ""));
                continue;
            }

            var result = await RunCommandAsync(request, command, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            stop = request.FailFast && result.Outcome != TestOutcome.Passed;
        }

        var outcome = results.FirstOrDefault(r => r.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped))?.Outcome ?? TestOutcome.Passed;
        return new TestRunResult(outcome, results, _time.GetElapsedTime(started));
    }

    private async Task<TestCommandResult> RunCommandAsync(TestRequest request, string command, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec
        {
            FileName = _options.Shell,
            Arguments = ["-c", command],
            WorkingDirectory = request.WorkspacePath,
            ConfinedTo = request.WorkspacePath,
            InheritEnvironment = _options.InheritEnvironment,
            Environment = request.Environment.Count == 0 ? _options.Environment : Merge(_options.Environment, request.Environment),
            Timeout = _options.CommandTimeout,
            StepName = request.StepName,
            Events = request.Events,
            CaptureLimit = _options.OutputCaptureLimit,
        };

        var started = _time.GetTimestamp();
        Log.CommandStarted(_logger, command, request.WorkspacePath);
        ProcessResult result;
        try
        {
            result = await _processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException ex)
        {
            Log.CommandNotStarted(_logger, command, ex);
            return new TestCommandResult(command, TestOutcome.Error, null, _time.GetElapsedTime(started), "", ex.Message);
        }

        var outcome = result switch
        {
            { TimedOut: true } => TestOutcome.TimedOut,
            { LimitExceeded: true } => TestOutcome.LimitExceeded,
            { ExitCode: 0 } => TestOutcome.Passed,
            _ => TestOutcome.Failed,
        };
        Log.CommandFinished(_logger, command, outcome, ExitStatus.Describe(result.ExitCode), result.Duration.TotalMilliseconds);
        return new TestCommandResult(command, outcome, result.ExitCode, result.Duration, result.StandardOutput, result.StandardError) { StopMessage = result.StopMessage };
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> configured, IReadOnlyDictionary<string, string?> run)
    {
        var environment = new Dictionary<string, string?>(configured, StringComparer.Ordinal);
        foreach (var (name, value) in run)
        {
            environment[name] = value;
        }

        return environment;
    }
}
