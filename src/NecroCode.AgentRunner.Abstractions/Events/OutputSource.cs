namespace NecroCode.AgentRunner;

/// <summary>The stream a line of process output came from.</summary>
public enum OutputSource
{
    /// <summary>Standard output.</summary>
    StandardOutput,

    /// <summary>Standard error.</summary>
    StandardError,
}
