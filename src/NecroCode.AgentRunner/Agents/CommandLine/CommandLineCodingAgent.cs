using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// Runs a command-line coding agent described by a <see cref="CommandLineAgentDescription"/>: one process tree
/// through <see cref="IProcessRunner"/> in the workspace, with an explicit environment (its API keys masked), the
/// prompt as the description passes it, output parsed and streamed masked, usage recorded on the product meter, and
/// how it ended turned into an <see cref="AgentResult"/>: a timeout, a missing executable, an exit code the
/// description calls a failure, or a failure the agent reported in its output (even with a success code).
/// </summary>
/// <remarks>
/// Derive from this class to give an agent its own type and log category, as the built-in agents do, or use it
/// as it is.
/// </remarks>
public partial class CommandLineCodingAgent : ICodingAgent
{
    private readonly IProcessRunner _processes;
    private readonly ISecretMasker _masker;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the agent, on the system clock.</summary>
    /// <param name="description">What the agent is and how it is called.</param>
    /// <param name="processes">Runs the agent's process tree.</param>
    /// <param name="masker">Learns the agent's API keys and masks the lines its parser renders.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CommandLineCodingAgent(CommandLineAgentDescription description, IProcessRunner processes, ISecretMasker masker, ILogger logger)
        : this(description, processes, masker, logger, TimeProvider.System)
    {
    }

    /// <summary>Creates the agent.</summary>
    /// <param name="description">What the agent is and how it is called.</param>
    /// <param name="processes">Runs the agent's process tree.</param>
    /// <param name="masker">Learns the agent's API keys and masks the lines its parser renders.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="time">The clock a wall-time budget is measured on.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CommandLineCodingAgent(CommandLineAgentDescription description, IProcessRunner processes, ISecretMasker masker, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        Description = description;
        _processes = processes;
        _masker = masker;
        _logger = logger;
        _time = time;
    }

    /// <summary>What the agent is and how it is called.</summary>
    public CommandLineAgentDescription Description { get; }

    /// <inheritdoc />
    public string Name => Description.Name;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the agent's process tree is gone.</exception>
    public async Task<AgentResult> ImplementAsync(AgentRequest request, CancellationToken cancellationToken) =>
        (await RunAsync(request, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>Runs one attempt and returns its result with the usage and summary the agent reported.</summary>
    /// <param name="request">The task, workspace and prompt.</param>
    /// <param name="cancellationToken">Stops the agent's whole process tree.</param>
    /// <returns>The result, usage and summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the agent's process tree is gone.</exception>
    public async Task<AgentRunReport> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Description.ConfigurationError is { } problem)
        {
            return new AgentRunReport(new AgentResult(false, null, problem), null);
        }

        var promptFolder = Description.UsesPromptFile ? Directory.CreateTempSubdirectory("necrocode-prompt-") : null;
        try
        {
            var promptFile = promptFolder is null ? null : await WritePromptFileAsync(promptFolder.FullName, request.Prompt, cancellationToken).ConfigureAwait(false);
            return await RunProcessAsync(request, promptFile, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(promptFolder);
        }
    }

    private async Task<AgentRunReport> RunProcessAsync(AgentRequest request, string? promptFile, CancellationToken cancellationToken)
    {
        var description = Description;
        var parser = description.CreateParser();
        using var watch = new AgentBudgetWatch(request.Budget, _time, request.Events, request.StepName, description.DisplayName);
        var sink = parser is null ? null : new ParsingEventSink(request.Events, parser, _masker, request.StepName, () => watch.Observe(parser.Usage));
        var spec = new ProcessSpec
        {
            FileName = description.Command,
            Arguments = description.BuildArguments(request, promptFile),
            WorkingDirectory = request.WorkspacePath,
            ConfinedTo = request.WorkspacePath,
            Environment = description.Environment.Build(request, _masker),
            InheritEnvironment = false,
            StandardInput = description.StandardInput(request),
            Timeout = description.Timeout,
            StepName = request.StepName,
            Events = sink ?? request.Events,
            CaptureLimit = description.OutputCaptureLimit,
            WrapUp = watch.WrapUp,
            WrapUpSignal = description.WrapUpSignal,
            WrapUpGracePeriod = request.Budget?.GracePeriod ?? TimeSpan.Zero,
        };

        Log.Starting(_logger, description.DisplayName, description.Command, request.Task.TaskId, request.Attempt);
        ProcessResult result;
        try
        {
            result = await _processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException ex)
        {
            Log.NotStarted(_logger, description.DisplayName, description.Command, ex);
            return new AgentRunReport(new AgentResult(false, null, description.DescribeStartFailure(ex)), null);
        }

        var usage = parser?.Usage;
        sink?.Complete(usage is null ? null : $"{description.DisplayName} usage: {TerminalText.Describe(usage)}");
        if (usage is not null)
        {
            RecordUsage(usage);
        }

        var outcome = watch.Conclude(usage, result.Duration) is { } breach
            ? OverBudget(result, breach)
            : ToResult(result, parser?.Verdict, parser?.ReportsFinalResult == true, request);
        return new AgentRunReport(outcome with { Usage = usage }, usage, parser?.Summary);
    }

    private AgentResult OverBudget(ProcessResult result, BudgetBreach breach)
    {
        var name = Description.DisplayName;
        var end = result.StopReason == ProcessStopReason.WrapUpExpired ? "it did not wrap up within its grace period and its process tree was stopped"
            : result.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"it exited with code {code}")
            : "its process tree was stopped";
        var error = $"{name} crossed its budget: {breach.Description}; {end}.";
        Log.OverBudget(_logger, name, breach.Description);
        return new AgentResult(false, result.ExitCode, error) { BudgetExceeded = breach };
    }

    private AgentResult ToResult(ProcessResult result, AgentVerdict? verdict, bool reportsFinalResult, AgentRequest request)
    {
        var name = Description.DisplayName;
        if (result.TimedOut)
        {
            Log.TimedOut(_logger, name, (Description.Timeout ?? TimeSpan.Zero).TotalSeconds);
            return new AgentResult(false, null, Description.DescribeTimeout(), TimedOut: true);
        }

        string error;
        var failure = result.ExitCode is { } exitCode ? Description.DescribeExitCode(exitCode) : DescribeStop(result);
        if (failure is null)
        {
            if (verdict is null or { Succeeded: true })
            {
                if (verdict is null && reportsFinalResult)
                {
                    Log.NoFinalResult(_logger, name, result.ExitCode);
                    request.Events.Publish(new RunWarning(request.StepName, string.Create(CultureInfo.InvariantCulture, $"{name} exited with code {result.ExitCode} without a final result message; its exit code decides.")));
                }

                Log.Succeeded(_logger, name, result.Duration.TotalMilliseconds);
                return new AgentResult(true, result.ExitCode);
            }

            error = string.Create(CultureInfo.InvariantCulture, $"{name} exited with code {result.ExitCode} but reported a failure. {verdict.Error}");
        }
        else
        {
            error = verdict is { Succeeded: false, Error: { } reported } ? $"{failure} {reported}" : failure;
            if (Description.QuoteOutput(result) is { Length: > 0 } tail)
            {
                error += " " + tail;
            }
        }

        Log.Failed(_logger, name, ExitStatus.Describe(result.ExitCode), error);
        return new AgentResult(false, result.ExitCode, error) { LimitExceeded = result.LimitExceeded };
    }

    private string DescribeStop(ProcessResult result) =>
        result.StopMessage is { } why ? $"{Description.DisplayName} was stopped: {why.TrimEnd('.')}." : $"{Description.DisplayName} was stopped before it exited.";

    private void RecordUsage(AgentUsage usage)
    {
        CommandLineAgentTelemetry.Record(Description.Name, usage);
        if (usage.CostUsd is { } cost)
        {
            Log.UsageReported(_logger, Description.DisplayName, usage.InputTokens, usage.OutputTokens, cost);
        }
        else
        {
            Log.UsageReportedWithoutCost(_logger, Description.DisplayName, usage.InputTokens, usage.OutputTokens);
        }
    }

    private static async Task<string> WritePromptFileAsync(string folder, string prompt, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(folder, "prompt.md");
        await File.WriteAllTextAsync(path, prompt, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private void DeleteQuietly(DirectoryInfo? folder)
    {
        if (folder is null)
        {
            return;
        }

        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException ex)
        {
            Log.PromptNotDeleted(_logger, folder.FullName, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.PromptNotDeleted(_logger, folder.FullName, ex);
        }
    }
}
