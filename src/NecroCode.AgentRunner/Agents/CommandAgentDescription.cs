using System.Globalization;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents;

/// <summary>
/// The command agent: <see cref="CommandAgentOptions.Command"/> with its <see cref="CommandAgentOptions.Arguments"/>
/// (placeholders <c>{prompt-file}</c>, <c>{prompt}</c>, <c>{workspace}</c>, <c>{task-id}</c>, <c>{spec}</c>,
/// <c>{attempt}</c> filled in) and the prompt delivered as <see cref="CommandAgentOptions.PromptMode"/> says; output
/// passed on as it is; exit code 0 is success.
/// </summary>
internal sealed class CommandAgentDescription(CommandAgentOptions options) : CommandLineAgentDescription
{
    /// <inheritdoc />
    public override string Name => "command";

    /// <inheritdoc />
    public override string DisplayName => $"Agent command '{options.Command}'";

    /// <inheritdoc />
    public override string Command => options.Command;

    /// <inheritdoc />
    public override TimeSpan? Timeout => options.Timeout;

    /// <inheritdoc />
    public override int OutputCaptureLimit => options.OutputCaptureLimit;

    /// <inheritdoc />
    public override AgentEnvironment Environment => new()
    {
        PassThrough = options.PassEnvironment,
        Variables = options.Environment,
        SecretVariables = options.SecretVariables,
    };

    /// <inheritdoc />
    public override bool UsesPromptFile =>
        options.PromptMode == PromptMode.File || options.Arguments.Any(a => a.Contains("{prompt-file}", StringComparison.Ordinal));

    /// <inheritdoc />
    public override string? ConfigurationError =>
        string.IsNullOrWhiteSpace(options.Command) ? "The command agent has no command configured (AgentRunner:Agent:Command)." : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> BuildArguments(AgentRequest request, string? promptFile)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = new List<string>(options.Arguments.Count + 1);
        var used = false;
        foreach (var template in options.Arguments)
        {
            var argument = template
                .Replace("{workspace}", request.WorkspacePath, StringComparison.Ordinal)
                .Replace("{task-id}", request.Task.TaskId, StringComparison.Ordinal)
                .Replace("{spec}", request.Task.SpecName, StringComparison.Ordinal)
                .Replace("{attempt}", request.Attempt.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (promptFile is not null && argument.Contains("{prompt-file}", StringComparison.Ordinal))
            {
                argument = argument.Replace("{prompt-file}", promptFile, StringComparison.Ordinal);
                used |= options.PromptMode == PromptMode.File;
            }

            if (options.PromptMode == PromptMode.Argument && argument.Contains("{prompt}", StringComparison.Ordinal))
            {
                argument = argument.Replace("{prompt}", request.Prompt, StringComparison.Ordinal);
                used = true;
            }

            arguments.Add(argument);
        }

        if (!used && options.PromptMode != PromptMode.Stdin)
        {
            arguments.Add(options.PromptMode == PromptMode.File ? promptFile! : request.Prompt);
        }

        return arguments;
    }

    /// <inheritdoc />
    public override string? StandardInput(AgentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return options.PromptMode == PromptMode.Stdin ? request.Prompt : null;
    }

    /// <inheritdoc />
    public override string DescribeTimeout()
    {
        var limit = options.Timeout is { } t ? string.Create(CultureInfo.InvariantCulture, $" after {t.TotalSeconds:0.###} s") : "";
        return $"{DisplayName} timed out{limit}; its process tree was stopped.";
    }

    /// <inheritdoc />
    public override string DescribeStartFailure(ProcessStartException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Message;
    }

    /// <inheritdoc />
    public override string QuoteOutput(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return OutputTail.Quote("Last error output:\n", result.StandardError, 10, "\n", 2000);
    }
}
