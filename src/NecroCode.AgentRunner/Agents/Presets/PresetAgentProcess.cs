using System.Globalization;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Runs one attempt of a preset agent through <see cref="IProcessRunner"/>: an explicit environment (API keys from
/// the run's secrets, else the runner's variables by name; masked), the prompt as one argument, stdin closed, output parsed and streamed masked, the timeout
/// enforced on the whole tree. Maps how it ended to an <see cref="AgentResult"/>: exit 0 with a failed final
/// result is a failure, and so is any other exit code, a timeout or a missing executable.
/// </summary>
internal sealed partial class PresetAgentProcess
{
    private const int TailLines = 5;

    private readonly IProcessRunner _processes;
    private readonly ISecretMasker _masker;
    private readonly ILogger _logger;

    public PresetAgentProcess(IProcessRunner processes, ISecretMasker masker, ILogger logger)
    {
        _processes = processes ?? throw new ArgumentNullException(nameof(processes));
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<AgentRunReport> RunAsync(PresetInvocation invocation, AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(request);
        var options = invocation.Options;
        var sink = new ParsingEventSink(request.Events, invocation.Parser, _masker, request.StepName);
        var spec = new ProcessSpec
        {
            FileName = options.Command,
            Arguments = invocation.Arguments,
            WorkingDirectory = request.WorkspacePath,
            Environment = BuildEnvironment(options, request),
            InheritEnvironment = false,
            StandardInput = null,
            Timeout = options.Timeout,
            StepName = request.StepName,
            Events = sink,
            CaptureLimit = options.OutputCaptureLimit,
        };

        Log.Starting(_logger, invocation.DisplayName, options.Command, request.Task.TaskId, request.Attempt);
        ProcessResult result;
        try
        {
            result = await _processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException ex)
        {
            Log.NotStarted(_logger, invocation.DisplayName, options.Command, ex);
            var error = $"{invocation.DisplayName} could not be started ('{options.Command}'): {ex.Message} Install it or set {invocation.OptionsName}.Command.";
            return new AgentRunReport(new AgentResult(false, null, error), null);
        }

        var parser = invocation.Parser;
        var usage = parser.Usage;
        sink.Complete(usage is null ? null : $"{invocation.DisplayName} usage: {TerminalText.Describe(usage)}");
        if (usage is not null)
        {
            PresetAgentTelemetry.Record(invocation.Agent, usage);
            if (usage.CostUsd is { } cost)
            {
                Log.UsageReported(_logger, invocation.DisplayName, usage.InputTokens, usage.OutputTokens, cost);
            }
            else
            {
                Log.UsageReportedWithoutCost(_logger, invocation.DisplayName, usage.InputTokens, usage.OutputTokens);
            }
        }

        return new AgentRunReport(ToResult(invocation, request, result) with { Usage = usage }, usage, parser.Summary);
    }

    private AgentResult ToResult(PresetInvocation invocation, AgentRequest request, ProcessResult result)
    {
        var name = invocation.DisplayName;
        if (result.TimedOut)
        {
            var limit = invocation.Options.Timeout ?? TimeSpan.Zero;
            Log.TimedOut(_logger, name, limit.TotalSeconds);
            return new AgentResult(false, null, string.Create(CultureInfo.InvariantCulture, $"{name} ran past its timeout of {limit.TotalSeconds:0.###} s; its process tree was stopped."), TimedOut: true);
        }

        var verdict = invocation.Parser.Verdict;
        string error;
        if (result.ExitCode == 0)
        {
            if (verdict is null or { Succeeded: true })
            {
                if (verdict is null && invocation.Parser.ReportsFinalResult)
                {
                    Log.NoFinalResult(_logger, name);
                    request.Events.Publish(new RunWarning(request.StepName, $"{name} exited with code 0 without a final result message; its exit code decides."));
                }

                Log.Succeeded(_logger, name, result.Duration.TotalMilliseconds);
                return new AgentResult(true, 0);
            }

            error = $"{name} exited with code 0 but reported a failure. {verdict.Error}";
        }
        else
        {
            var how = result.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"exited with code {code}") : "was stopped before it exited";
            error = verdict is { Succeeded: false, Error: { } reported } ? $"{name} {how}. {reported}" : $"{name} {how}.";
            var tail = Tail(result.StandardError);
            if (tail.Length > 0)
            {
                error += " Last error output: " + tail;
            }
        }

        Log.Failed(_logger, name, ExitStatus.Describe(result.ExitCode), error);
        return new AgentResult(false, result.ExitCode, error);
    }

    private Dictionary<string, string?> BuildEnvironment(PresetAgentOptions options, AgentRequest request)
    {
        // Precedence: a variable filled from the run's secrets wins over Environment, PassEnvironment and the
        // runner's own ApiKeyVariables (the fallback when the credential providers do not have the secret).
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in options.ApiKeyVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } secret)
            {
                _masker.AddSecret(secret);
                environment[name] = secret;
            }
        }

        foreach (var name in options.PassEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        AgentSecretVariables.Apply(request.Secrets, options.SecretVariables, environment);

        environment["NECROCODE_TASK_ID"] = request.Task.TaskId;
        environment["NECROCODE_SPEC"] = request.Task.SpecName;
        environment["NECROCODE_WORKSPACE"] = request.WorkspacePath;
        environment["NECROCODE_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    private static string Tail(string text)
    {
        var lines = TerminalText.StripEscapes(text).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(TailLines);
        var tail = string.Join(" | ", lines);
        return tail.Length > 1000 ? tail[^1000..] : tail;
    }
}
