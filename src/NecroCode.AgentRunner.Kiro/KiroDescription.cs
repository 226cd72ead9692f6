using System.Globalization;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>
/// The Kiro CLI headless: <c>kiro-cli chat --no-interactive (--trust-all-tools | --trust-tools=a,b) [--agent NAME]
/// [--model NAME] [extra…] PROMPT</c>. Output is plain text (terminal escapes stripped); <c>KIRO_API_KEY</c> comes from
/// the run's secrets, else from the runner's <see cref="KiroOptions.ApiKeyVariable"/>; exit codes 3 (an MCP server
/// could not start) and 4 (agent not found) have their own messages.
/// </summary>
internal sealed class KiroDescription(KiroOptions options) : CommandLineAgentDescription
{
    /// <summary>Kiro's exit code when an MCP server could not start.</summary>
    public const int ExitMcpStartFailure = 3;

    /// <summary>Kiro's exit code when the requested agent does not exist.</summary>
    public const int ExitAgentNotFound = 4;

    /// <summary>The environment variable Kiro reads its API key from: <c>KIRO_API_KEY</c>.</summary>
    public const string ApiKeyVariableName = "KIRO_API_KEY";

    /// <inheritdoc />
    public override string Name => "kiro";

    /// <inheritdoc />
    public override string DisplayName => "Kiro";

    /// <inheritdoc />
    public override string Command => options.Command;

    /// <inheritdoc />
    public override TimeSpan? Timeout => options.Timeout;

    /// <inheritdoc />
    public override AgentEnvironment Environment => new()
    {
        PassThrough = options.PassEnvironment,
        ApiKeyFallbacks = [KeyValuePair.Create(ApiKeyVariableName, options.ApiKeyVariable)],
        SecretVariables = options.SecretVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<string> BuildArguments(AgentRequest request, string? promptFile)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BuildArguments(request.Prompt);
    }

    /// <summary>The arguments Kiro is started with for <paramref name="prompt"/>, the prompt last.</summary>
    /// <param name="prompt">The implementation prompt.</param>
    /// <returns>The argument list.</returns>
    public IReadOnlyList<string> BuildArguments(string prompt)
    {
        var arguments = new List<string> { "chat", "--no-interactive" };
        arguments.Add(options.TrustAllTools ? "--trust-all-tools" : "--trust-tools=" + string.Join(',', options.TrustedTools));
        if (!string.IsNullOrWhiteSpace(options.Agent))
        {
            arguments.AddRange(["--agent", options.Agent]);
        }

        if (!string.IsNullOrWhiteSpace(options.Model))
        {
            arguments.AddRange(["--model", options.Model]);
        }

        arguments.AddRange(options.ExtraArguments);
        arguments.Add(PromptArgument(prompt));
        return arguments;
    }

    /// <inheritdoc />
    public override AgentOutputParser CreateParser() => new PlainTextOutputParser();

    /// <inheritdoc />
    public override string? DescribeExitCode(int exitCode) => exitCode switch
    {
        0 => null,
        ExitMcpStartFailure => "Kiro could not start an MCP server (exit code 3).",
        ExitAgentNotFound => $"Kiro did not find the agent '{options.Agent}' (exit code 4).",
        _ => string.Create(CultureInfo.InvariantCulture, $"Kiro failed with exit code {exitCode}."),
    };

    /// <inheritdoc />
    public override string DescribeStartFailure(ProcessStartException exception) =>
        base.DescribeStartFailure(exception) + " Install kiro-cli or set KiroOptions.Command.";

    /// <inheritdoc />
    public override string QuoteOutput(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError;
        return OutputTail.Quote("Last output: ", output, 3, " | ", 1000);
    }
}
