namespace NecroCode.AgentRunner.Docker;

/// <summary>An extra bind mount of <see cref="DockerOptions.ExtraMounts"/>.</summary>
public sealed class DockerMount
{
    /// <summary>The host path.</summary>
    public string Source { get; set; } = "";

    /// <summary>The path inside the container; default the same as <see cref="Source"/>.</summary>
    public string? Target { get; set; }

    /// <summary>Mount read-only. Default true.</summary>
    public bool ReadOnly { get; set; } = true;
}
