namespace NecroCode.AgentRunner.Docker;

/// <summary>The runner image is not on the engine (Docker mode never pulls; build or load it first).</summary>
/// <param name="image">The image reference.</param>
/// <param name="inner">The underlying error.</param>
public sealed class DockerImageMissingException(string image, Exception? inner = null)
    : ExecutionEnvironmentException($"The runner image '{image}' is not on the Docker engine; build it (see docs/docker.md) or set NecroCode:Docker:Image.", inner)
{
    /// <summary>The image reference.</summary>
    public string Image { get; } = image;
}
