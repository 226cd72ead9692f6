using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Runs Aider headless in the workspace: <c>aider --message PROMPT --yes-always --no-auto-commits
/// --no-dirty-commits [--no-gitignore --no-check-update --no-show-release-notes --chat-history-file /dev/null
/// --input-history-file /dev/null] [--model M] [extra…]</c>. Its text output is streamed as it is; its
/// <c>Tokens: … sent, … received. Cost: $… message</c> lines are summed into the usage. The exit code decides.
/// </summary>
/// <remarks>
/// The prompt is one argument (never through a shell), stdin is closed, and the agent gets an explicit
/// environment: the variables named in <see cref="PresetAgentOptions.ApiKeyVariables"/> (masked everywhere) and
/// <see cref="PresetAgentOptions.PassEnvironment"/>, <see cref="PresetAgentOptions.Environment"/>, the basics and the
/// <c>NECROCODE_*</c> task variables.
/// </remarks>
public sealed class AiderCodingAgent : ICodingAgent
{
    private readonly PresetAgentProcess _process;
    private readonly AiderOptions _options;

    /// <summary>Creates the agent.</summary>
    /// <param name="processes">Runs the agent's process tree.</param>
    /// <param name="masker">Learns the API keys, so that they are masked everywhere.</param>
    /// <param name="options">The agent's settings.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AiderCodingAgent(IProcessRunner processes, ISecretMasker masker, IOptions<AiderOptions> options, ILogger<AiderCodingAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _process = new PresetAgentProcess(processes, masker, logger);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => "aider";

    /// <summary>The arguments the agent is started with for <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The implementation prompt.</param>
    /// <returns>The argument list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public IReadOnlyList<string> BuildArguments(string prompt)
    {
        var argument = PresetPrompt.AsArgument(prompt);
        var arguments = new List<string> { "--message", argument, "--yes-always", "--no-auto-commits", "--no-dirty-commits" };
        if (_options.KeepWorkspaceClean)
        {
            arguments.AddRange(["--no-gitignore", "--no-check-update", "--no-show-release-notes", "--chat-history-file", "/dev/null", "--input-history-file", "/dev/null"]);
        }

        if (!string.IsNullOrWhiteSpace(_options.Model))
        {
            arguments.Add("--model");
            arguments.Add(_options.Model);
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
        var invocation = new PresetInvocation(Name, "Aider", nameof(AiderOptions), _options, BuildArguments(request.Prompt), new PlainTextOutputParser(readAiderUsage: true));
        return _process.RunAsync(invocation, request, cancellationToken);
    }
}
