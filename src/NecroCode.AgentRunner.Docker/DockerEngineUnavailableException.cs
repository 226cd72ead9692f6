namespace NecroCode.AgentRunner.Docker;

/// <summary>The Docker engine did not answer at its endpoint.</summary>
/// <param name="endpoint">The engine's endpoint.</param>
/// <param name="inner">The underlying error.</param>
public sealed class DockerEngineUnavailableException(string endpoint, Exception inner)
    : ExecutionEnvironmentException($"The Docker engine at '{endpoint}' did not answer: {inner?.Message}", inner, isTransient: true)
{
    /// <summary>The engine's endpoint.</summary>
    public string Endpoint { get; } = endpoint;
}
