using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Agents;

/// <summary>
/// A coding agent that runs a configured command in the workspace (the embedded default, R3): the prompt goes
/// to its standard input, a file or an argument (<see cref="PromptMode"/>). Exit code 0 is success; any other
/// exit, a timeout or a broken resource limit is a failed <see cref="AgentResult"/> with a clear error.
/// </summary>
/// <remarks>
/// The command gets an explicit environment: <see cref="CommandAgentOptions.Environment"/>, the variables named in
/// <see cref="CommandAgentOptions.PassEnvironment"/>, the run's secrets named in <see cref="CommandAgentOptions.SecretVariables"/>
/// (these win), the basics (<c>PATH</c>, <c>HOME</c>, <c>LANG</c>,
/// <c>TMPDIR</c>) and <c>NECROCODE_TASK_ID</c>, <c>NECROCODE_SPEC</c>, <c>NECROCODE_WORKSPACE</c>,
/// <c>NECROCODE_ATTEMPT</c>.
/// </remarks>
public sealed partial class CommandCodingAgent : ICodingAgent
{
    private const int ErrorLines = 10;

    private readonly IProcessRunner _processes;
    private readonly CommandAgentOptions _options;
    private readonly ILogger<CommandCodingAgent> _logger;

    /// <summary>Creates the agent.</summary>
    /// <param name="processes">Runs the command.</param>
    /// <param name="options">The command and how to call it.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CommandCodingAgent(IProcessRunner processes, IOptions<CommandAgentOptions> options, ILogger<CommandCodingAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _processes = processes;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "command";

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the agent's process tree is gone.</exception>
    public async Task<AgentResult> ImplementAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(_options.Command))
        {
            return new AgentResult(false, null, "The command agent has no command configured (AgentRunner:Agent:Command).");
        }

        DirectoryInfo? promptFolder = null;
        try
        {
            string? promptFile = null;
            if (_options.PromptMode == PromptMode.File || _options.Arguments.Any(a => a.Contains("{prompt-file}", StringComparison.Ordinal)))
            {
                promptFolder = Directory.CreateTempSubdirectory("necrocode-prompt-");
                promptFile = await WritePromptFileAsync(promptFolder.FullName, request.Prompt, cancellationToken).ConfigureAwait(false);
            }

            var spec = new ProcessSpec
            {
                FileName = _options.Command,
                Arguments = BuildArguments(request, promptFile),
                WorkingDirectory = request.WorkspacePath,
                Environment = BuildEnvironment(request),
                InheritEnvironment = false,
                StandardInput = _options.PromptMode == PromptMode.Stdin ? request.Prompt : null,
                Timeout = _options.Timeout,
                StepName = request.StepName,
                Events = request.Events,
                CaptureLimit = _options.OutputCaptureLimit,
            };

            Log.Starting(_logger, _options.Command, request.Task.TaskId, request.Attempt, _options.PromptMode);
            var result = await _processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
            return ToAgentResult(result);
        }
        catch (ProcessStartException ex)
        {
            Log.NotStarted(_logger, _options.Command, ex);
            return new AgentResult(false, null, ex.Message);
        }
        finally
        {
            DeleteQuietly(promptFolder);
        }
    }

    private AgentResult ToAgentResult(ProcessResult result)
    {
        var tail = LastLines(result.StandardError);
        if (result.TimedOut)
        {
            var limit = _options.Timeout is { } t ? string.Create(CultureInfo.InvariantCulture, $" after {t.TotalSeconds:0.###} s") : "";
            Log.Failed(_logger, _options.Command, ExitStatus.Describe(null), "timed out");
            return new AgentResult(false, null, $"Agent command '{_options.Command}' timed out{limit}; its process tree was stopped.", TimedOut: true);
        }

        if (result.ExitCode == 0)
        {
            Log.Succeeded(_logger, _options.Command, result.Duration.TotalMilliseconds);
            return new AgentResult(true, 0);
        }

        var how = result.ExitCode is { } code
            ? string.Create(CultureInfo.InvariantCulture, $"exited with code {code}")
            : result.StopMessage is { } why ? "was stopped: " + why.TrimEnd('.') : "was stopped";
        Log.Failed(_logger, _options.Command, ExitStatus.Describe(result.ExitCode), how);
        var error = tail.Length == 0
            ? $"Agent command '{_options.Command}' {how}."
            : $"Agent command '{_options.Command}' {how}. Last error output:\n{tail}";
        return new AgentResult(false, result.ExitCode, error) { LimitExceeded = result.LimitExceeded };
    }

    private List<string> BuildArguments(AgentRequest request, string? promptFile)
    {
        var arguments = new List<string>(_options.Arguments.Count + 1);
        var used = false;
        foreach (var template in _options.Arguments)
        {
            var argument = template
                .Replace("{workspace}", request.WorkspacePath, StringComparison.Ordinal)
                .Replace("{task-id}", request.Task.TaskId, StringComparison.Ordinal)
                .Replace("{spec}", request.Task.SpecName, StringComparison.Ordinal)
                .Replace("{attempt}", request.Attempt.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (promptFile is not null && argument.Contains("{prompt-file}", StringComparison.Ordinal))
            {
                argument = argument.Replace("{prompt-file}", promptFile, StringComparison.Ordinal);
                used |= _options.PromptMode == PromptMode.File;
            }

            if (_options.PromptMode == PromptMode.Argument && argument.Contains("{prompt}", StringComparison.Ordinal))
            {
                argument = argument.Replace("{prompt}", request.Prompt, StringComparison.Ordinal);
                used = true;
            }

            arguments.Add(argument);
        }

        if (!used && _options.PromptMode != PromptMode.Stdin)
        {
            arguments.Add(_options.PromptMode == PromptMode.File ? promptFile! : request.Prompt);
        }

        return arguments;
    }

    private Dictionary<string, string?> BuildEnvironment(AgentRequest request)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in _options.PassEnvironment)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in _options.Environment)
        {
            environment[name] = value;
        }

        AgentSecretVariables.Apply(request.Secrets, _options.SecretVariables, environment);

        environment["NECROCODE_TASK_ID"] = request.Task.TaskId;
        environment["NECROCODE_SPEC"] = request.Task.SpecName;
        environment["NECROCODE_WORKSPACE"] = request.WorkspacePath;
        environment["NECROCODE_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        return environment;
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

    private static string LastLines(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - ErrorLines)));
        return tail.Length > 2000 ? tail[^2000..] : tail;
    }
}
