using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// What every preset shares: its settings (<see cref="PresetAgentOptions"/>) become the command, timeout, output limit
/// and environment (API keys from the run's secrets, else the runner's variables by name, masked); the prompt is one
/// argument, stdin is closed; a missing executable names the options type to fix.
/// </summary>
/// <typeparam name="TOptions">The preset's options.</typeparam>
internal abstract class PresetAgentDescription<TOptions> : CommandLineAgentDescription
    where TOptions : PresetAgentOptions
{
    /// <summary>Creates the description.</summary>
    /// <param name="name">The agent's short name.</param>
    /// <param name="displayName">The agent's name in messages.</param>
    /// <param name="options">The preset's settings.</param>
    protected PresetAgentDescription(string name, string displayName, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        DisplayName = displayName;
        Options = options;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string DisplayName { get; }

    /// <inheritdoc />
    public override string Command => Options.Command;

    /// <inheritdoc />
    public override TimeSpan? Timeout => Options.Timeout;

    /// <inheritdoc />
    public override int OutputCaptureLimit => Options.OutputCaptureLimit;

    /// <inheritdoc />
    public override AgentEnvironment Environment => new()
    {
        PassThrough = Options.PassEnvironment,
        ApiKeyFallbacks = Options.ApiKeyVariables.Select(v => KeyValuePair.Create(v, v)),
        Variables = Options.Environment,
        SecretVariables = Options.SecretVariables,
    };

    /// <summary>The preset's settings.</summary>
    protected TOptions Options { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> BuildArguments(AgentRequest request, string? promptFile)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BuildArguments(request.Prompt);
    }

    /// <summary>The arguments the agent is started with for <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The implementation prompt.</param>
    /// <returns>The argument list.</returns>
    public IReadOnlyList<string> BuildArguments(string prompt)
    {
        var arguments = new List<string>();
        AddArguments(arguments, PromptArgument(prompt));
        return arguments;
    }

    /// <inheritdoc />
    public override string DescribeStartFailure(ProcessStartException exception) =>
        base.DescribeStartFailure(exception) + $" Install it or set {typeof(TOptions).Name}.Command.";

    /// <summary>Adds the preset's arguments for one attempt.</summary>
    /// <param name="arguments">The list to fill.</param>
    /// <param name="prompt">The prompt, made safe to pass as one argument.</param>
    protected abstract void AddArguments(List<string> arguments, string prompt);

    /// <summary>Adds <c>--model M</c> when a model is set.</summary>
    /// <param name="arguments">The list to add to.</param>
    protected void AddModel(List<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!string.IsNullOrWhiteSpace(Options.Model))
        {
            arguments.Add("--model");
            arguments.Add(Options.Model);
        }
    }
}
