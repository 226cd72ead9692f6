using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Runs Claude Code headless in the workspace: <c>claude -p PROMPT --output-format stream-json --verbose
/// --permission-mode MODE [--model M] [--allowedTools a,b] [extra…]</c>. Its stream-json messages become readable
/// log lines; its final <c>result</c> message decides the outcome together with the exit code (exit 0 with an
/// error result is a failure), and its tokens and cost are recorded.
/// </summary>
/// <remarks>
/// The prompt is one argument (never through a shell), stdin is closed, and the agent gets an explicit
/// environment: the variables named in <see cref="PresetAgentOptions.ApiKeyVariables"/> (masked everywhere) and
/// <see cref="PresetAgentOptions.PassEnvironment"/>, <see cref="PresetAgentOptions.Environment"/>, the basics and the
/// <c>NECROCODE_*</c> task variables.
/// </remarks>
public sealed class ClaudeCodeCodingAgent : ICodingAgent
{
    private readonly PresetAgentProcess _process;
    private readonly ClaudeCodeOptions _options;

    /// <summary>Creates the agent.</summary>
    /// <param name="processes">Runs the agent's process tree.</param>
    /// <param name="masker">Learns the API keys, so that they are masked everywhere.</param>
    /// <param name="options">The agent's settings.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ClaudeCodeCodingAgent(IProcessRunner processes, ISecretMasker masker, IOptions<ClaudeCodeOptions> options, ILogger<ClaudeCodeCodingAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _process = new PresetAgentProcess(processes, masker, logger);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => "claude-code";

    /// <summary>The arguments the agent is started with for <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The implementation prompt.</param>
    /// <returns>The argument list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public IReadOnlyList<string> BuildArguments(string prompt)
    {
        var argument = PresetPrompt.AsArgument(prompt);
        var arguments = new List<string> { "-p", argument, "--output-format", "stream-json", "--verbose", "--permission-mode", _options.PermissionMode };
        if (!string.IsNullOrWhiteSpace(_options.Model))
        {
            arguments.Add("--model");
            arguments.Add(_options.Model);
        }

        if (_options.AllowedTools.Count > 0)
        {
            arguments.Add("--allowedTools");
            arguments.Add(string.Join(',', _options.AllowedTools));
        }

        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }

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
    public Task<AgentRunReport> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invocation = new PresetInvocation(Name, "Claude Code", nameof(ClaudeCodeOptions), _options, BuildArguments(request.Prompt), new ClaudeStreamJsonParser());
        return _process.RunAsync(invocation, request, cancellationToken);
    }
}
