namespace NecroCode.AgentRunner;

/// <summary>A push was refused before reaching the network: the target is not the task's own branch.</summary>
/// <param name="refSpec">The refused ref or refspec.</param>
/// <param name="reason">Why it was refused.</param>
public sealed class PushRefusedException(string refSpec, string reason)
    : AgentRunnerException($"Push of '{refSpec}' refused: {reason}")
{
    /// <summary>The refused ref or refspec.</summary>
    public string RefSpec { get; } = refSpec;

    /// <summary>Why it was refused.</summary>
    public string Reason { get; } = reason;
}
