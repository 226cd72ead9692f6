using System.Globalization;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// The environment of a command-line agent's process. The agent does not inherit the runner's environment: it gets
/// <c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>TMPDIR</c>, the variables described here and the task variables
/// <c>NECROCODE_TASK_ID</c>, <c>NECROCODE_SPEC</c>, <c>NECROCODE_WORKSPACE</c> and <c>NECROCODE_ATTEMPT</c>.
/// </summary>
/// <remarks>
/// The sources are applied in this order, a later one winning: <see cref="PassThrough"/>, <see cref="ApiKeyFallbacks"/>,
/// <see cref="Variables"/>, <see cref="SecretVariables"/>, the task variables.
/// </remarks>
public sealed class AgentEnvironment
{
    /// <summary>An environment with none of the optional sources.</summary>
    public static AgentEnvironment None { get; } = new();

    /// <summary>Names of the runner's environment variables passed through, each when it is set; not masked.</summary>
    public IEnumerable<string> PassThrough { get; init; } = [];

    /// <summary>
    /// The agent's credentials read from the runner's own environment, the fallback when no secret of
    /// <see cref="SecretVariables"/> fills the variable: each entry is the variable the agent gets and the runner
    /// variable it is read from. A value found is masked in every output, whether or not a secret replaces it.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ApiKeyFallbacks { get; init; } = [];

    /// <summary>Variables set to fixed values.</summary>
    public IEnumerable<KeyValuePair<string, string>> Variables { get; init; } = [];

    /// <summary>
    /// The run's secrets the agent receives (<see cref="AgentRequest.Secrets"/>), by secret name, each with the
    /// variable it is put in; an entry with an empty variable is off. These win over every other source but the task
    /// variables.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> SecretVariables { get; init; } = [];

    /// <summary>Builds the variables for one attempt.</summary>
    /// <param name="request">The attempt: its task, workspace, attempt number and secrets.</param>
    /// <param name="masker">Learns the values of <see cref="ApiKeyFallbacks"/>.</param>
    /// <returns>The variables, for <see cref="ProcessSpec.Environment"/> with <see cref="ProcessSpec.InheritEnvironment"/> off.</returns>
    internal Dictionary<string, string?> Build(AgentRequest request, ISecretMasker masker)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in PassThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (variable, source) in ApiKeyFallbacks)
        {
            if (Environment.GetEnvironmentVariable(source) is { Length: > 0 } key)
            {
                masker.AddSecret(key);
                environment[variable] = key;
            }
        }

        foreach (var (name, value) in Variables)
        {
            environment[name] = value;
        }

        foreach (var (secret, variable) in SecretVariables)
        {
            if (!string.IsNullOrEmpty(variable) && request.Secrets.TryReveal(secret, out var value) && value.Length > 0)
            {
                environment[variable] = value;
            }
        }

        environment["NECROCODE_TASK_ID"] = request.Task.TaskId;
        environment["NECROCODE_SPEC"] = request.Task.SpecName;
        environment["NECROCODE_WORKSPACE"] = request.WorkspacePath;
        environment["NECROCODE_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        return environment;
    }
}
