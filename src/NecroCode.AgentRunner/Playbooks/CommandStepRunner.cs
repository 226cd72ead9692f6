using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// Runs the command (<c>run:</c>) steps of a playbook with <c>/bin/sh -c</c> through the <see cref="IProcessRunner"/>,
/// in the workspace, with the step's timeout per attempt and its retries with exponential backoff.
/// </summary>
internal sealed partial class CommandStepRunner
{
    /// <summary>The shell that runs commands.</summary>
    public const string Shell = "/bin/sh";

    private readonly IProcessRunner _processes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="processes">Runs the shell.</param>
    /// <param name="time">The clock for backoff delays.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CommandStepRunner(IProcessRunner processes, TimeProvider time, ILogger<CommandStepRunner> logger)
    {
        _processes = processes ?? throw new ArgumentNullException(nameof(processes));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs a command step to its end, retrying a failed or timed-out attempt as the step says.</summary>
    /// <param name="step">A step with <see cref="PlaybookStep.Run"/>.</param>
    /// <param name="request">The workspace, events and environment of the run.</param>
    /// <param name="cancellationToken">Stops the command (and the waits between attempts).</param>
    /// <returns>How the step ended; a non-zero exit or a timeout is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not a command step.</exception>
    /// <exception cref="ProcessStartException">The shell could not be started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CommandStepResult> RunAsync(PlaybookStep step, CommandStepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(request);
        if (step.Run is not { } command)
        {
            throw new ArgumentException($"Step '{step.Name}' is not a command step.", nameof(step));
        }

        var directory = ResolveDirectory(step, request.WorkspacePath, out var problem);
        if (directory is null)
        {
            Log.DirectoryRefused(_logger, step.Name, problem!);
            return new CommandStepResult(StepOutcome.Failed, 0, null, problem);
        }

        var environment = new Dictionary<string, string?>(request.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in step.Environment)
        {
            environment[name] = value;
        }

        var spec = new ProcessSpec
        {
            FileName = Shell,
            Arguments = ["-c", command],
            WorkingDirectory = directory,
            ConfinedTo = request.WorkspacePath,
            Environment = environment,
            InheritEnvironment = request.InheritEnvironment,
            Timeout = step.Timeout ?? request.DefaultTimeout,
            StepName = step.Name,
            Events = request.Events,
        };

        var attempts = 0;
        var pipeline = BuildPipeline(step, request.Events, spec.Timeout);
        var result = await pipeline.ExecuteAsync(
            async token =>
            {
                attempts++;
                return await _processes.RunAsync(spec, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        if (result.Succeeded)
        {
            Log.Succeeded(_logger, step.Name, attempts);
            return new CommandStepResult(StepOutcome.Succeeded, attempts, result, null);
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"Step '{step.Name}' {Describe(result, spec.Timeout)} (attempt {attempts} of {step.Retry.Count + 1}).");
        Log.Failed(_logger, step.Name, attempts, message);
        return new CommandStepResult(result.TimedOut ? StepOutcome.TimedOut : StepOutcome.Failed, attempts, result, message);
    }

    private ResiliencePipeline<ProcessResult> BuildPipeline(PlaybookStep step, IRunEventSink? events, TimeSpan? timeout)
    {
        if (step.Retry.Count == 0)
        {
            return ResiliencePipeline<ProcessResult>.Empty;
        }

        return new ResiliencePipelineBuilder<ProcessResult> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<ProcessResult>
            {
                MaxRetryAttempts = step.Retry.Count,
                Delay = step.Retry.Backoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                // A broken memory or CPU time limit would break again: it is not retried.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, LimitExceeded: false }),
                OnRetry = args =>
                {
                    var failed = args.AttemptNumber + 1;
                    var error = args.Outcome.Result is { } r ? Describe(r, timeout) : args.Outcome.Exception?.Message ?? "failed";
                    Log.Retrying(_logger, step.Name, failed, args.RetryDelay.TotalMilliseconds, error);
                    events?.Publish(new RetryScheduled(step.Name, "run", failed, args.RetryDelay, error));
                    return default;
                },
            })
            .Build();
    }

    private static string? ResolveDirectory(PlaybookStep step, string workspace, out string? problem)
    {
        problem = null;
        if (!Directory.Exists(workspace))
        {
            problem = $"Step '{step.Name}' cannot run: the workspace '{workspace}' does not exist.";
            return null;
        }

        if (step.WorkingDirectory is not { } relative)
        {
            return workspace;
        }

        var full = WorkspacePaths.Check(relative) is null ? WorkspacePaths.Resolve(workspace, relative) : null;
        if (full is null)
        {
            problem = $"Step '{step.Name}' cannot run: its working directory '{relative}' leads outside the workspace.";
            return null;
        }

        if (!Directory.Exists(full))
        {
            problem = $"Step '{step.Name}' cannot run: its working directory '{relative}' does not exist in the workspace.";
            return null;
        }

        return full;
    }

    private static string Describe(ProcessResult result, TimeSpan? timeout) => result switch
    {
        { TimedOut: true } => timeout is { } limit ? string.Create(CultureInfo.InvariantCulture, $"ran past its timeout of {limit:c}") : "timed out",
        { LimitExceeded: true, StopMessage: { } why } => "was stopped: " + why.TrimEnd('.'),
        { ExitCode: { } code } => string.Create(CultureInfo.InvariantCulture, $"exited with code {code}"),
        _ => "was stopped" + (result.StopMessage is { } message ? ": " + message.TrimEnd('.') : ""),
    };
}
