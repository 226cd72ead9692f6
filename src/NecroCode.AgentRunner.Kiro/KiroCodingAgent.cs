using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>
/// Runs the Kiro CLI headless in the workspace: <c>kiro-cli chat --no-interactive</c> with the trust
/// settings, optional agent and model, and the prompt as one argument (never through a shell). Stdin
/// is closed, output is streamed (ANSI stripped, masked) and exit codes are mapped to clear results.
/// </summary>
public sealed class KiroCodingAgent : ICodingAgent
{
    /// <summary>Kiro's exit code for a failed run.</summary>
    public const int ExitFailure = 1;

    /// <summary>Kiro's exit code when an MCP server could not start.</summary>
    public const int ExitMcpStartFailure = 3;

    /// <summary>Kiro's exit code when the requested agent does not exist.</summary>
    public const int ExitAgentNotFound = 4;

    /// <summary>The environment variable Kiro reads its API key from: <c>KIRO_API_KEY</c>.</summary>
    public const string ApiKeyVariableName = "KIRO_API_KEY";

    private readonly IProcessRunner _processes;
    private readonly ISecretMasker _masker;
    private readonly KiroOptions _options;

    /// <summary>Creates the agent.</summary>
    /// <param name="processes">Runs the Kiro process tree.</param>
    /// <param name="masker">Learns the API key, so that it is masked everywhere.</param>
    /// <param name="options">Kiro's settings.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public KiroCodingAgent(IProcessRunner processes, ISecretMasker masker, IOptions<KiroOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _processes = processes ?? throw new ArgumentNullException(nameof(processes));
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => "kiro";

    /// <summary>
    /// The arguments Kiro is started with for <paramref name="prompt"/>. A prompt that begins with <c>-</c> gets a
    /// leading line break, so that Kiro's option parser does not read it as an option.
    /// </summary>
    /// <param name="prompt">The implementation prompt.</param>
    /// <returns>The argument list, the prompt last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public IReadOnlyList<string> BuildArguments(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var arguments = new List<string> { "chat", "--no-interactive" };
        arguments.Add(_options.TrustAllTools ? "--trust-all-tools" : "--trust-tools=" + string.Join(',', _options.TrustedTools));
        if (!string.IsNullOrWhiteSpace(_options.Agent))
        {
            arguments.Add("--agent");
            arguments.Add(_options.Agent);
        }

        if (!string.IsNullOrWhiteSpace(_options.Model))
        {
            arguments.Add("--model");
            arguments.Add(_options.Model);
        }

        arguments.AddRange(_options.ExtraArguments);
        arguments.Add(prompt.StartsWith('-') ? "\n" + prompt : prompt);
        return arguments;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The run's secrets were already wiped (the run has ended).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; Kiro's process tree is gone.</exception>
    public async Task<AgentResult> ImplementAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = BuildEnvironment(request.Secrets);

        var spec = new ProcessSpec
        {
            FileName = _options.Command,
            Arguments = BuildArguments(request.Prompt),
            WorkingDirectory = request.WorkspacePath,
            Environment = environment,
            InheritEnvironment = false,
            StandardInput = null,
            Timeout = _options.Timeout,
            StepName = request.StepName,
            Events = new AnsiStrippingSink(request.Events),
        };

        ProcessResult result;
        try
        {
            result = await _processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException ex)
        {
            return new AgentResult(false, null, $"Kiro could not be started ('{_options.Command}'): {ex.Message} Install kiro-cli or set KiroOptions.Command.");
        }

        if (result.TimedOut)
        {
            return new AgentResult(false, null, $"Kiro ran past its timeout of {_options.Timeout:c} and was stopped.", TimedOut: true);
        }

        return result.ExitCode switch
        {
            0 => new AgentResult(true, 0),
            ExitMcpStartFailure => new AgentResult(false, ExitMcpStartFailure, "Kiro could not start an MCP server (exit code 3)." + Tail(result)),
            ExitAgentNotFound => new AgentResult(false, ExitAgentNotFound, $"Kiro did not find the agent '{_options.Agent}' (exit code 4)." + Tail(result)),
            { } code => new AgentResult(false, code, $"Kiro failed with exit code {code}." + Tail(result)),
            null => new AgentResult(false, null, "Kiro was stopped before it exited." + Tail(result)),
        };
    }

    /// <summary>
    /// Kiro's environment: the variables of <see cref="KiroOptions.PassEnvironment"/>, then the run's secrets of
    /// <see cref="KiroOptions.SecretVariables"/> (these win); <c>KIRO_API_KEY</c>, when no secret filled it, from the
    /// runner's variable <see cref="KiroOptions.ApiKeyVariable"/>.
    /// </summary>
    private Dictionary<string, string?> BuildEnvironment(IRunSecrets secrets)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in _options.PassEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        var fromSecrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (secret, variable) in _options.SecretVariables)
        {
            if (!string.IsNullOrEmpty(variable) && secrets.TryReveal(secret, out var value) && value.Length > 0)
            {
                environment[variable] = value;
                fromSecrets.Add(variable);
            }
        }

        if (!fromSecrets.Contains(ApiKeyVariableName) && Environment.GetEnvironmentVariable(_options.ApiKeyVariable) is { Length: > 0 } apiKey)
        {
            _masker.AddSecret(apiKey);
            environment[ApiKeyVariableName] = apiKey;
        }

        return environment;
    }

    private static string Tail(ProcessResult result)
    {
        var text = AnsiEscapeFilter.Strip(string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim();
        if (text.Length == 0)
        {
            return "";
        }

        var lines = text.Split('\n');
        return " Last output: " + string.Join(" | ", lines.TakeLast(3).Select(l => l.Trim()));
    }
}
