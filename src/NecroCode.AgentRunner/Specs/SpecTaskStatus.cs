namespace NecroCode.AgentRunner.Specs;

/// <summary>The checkbox of a task in <c>tasks.md</c>.</summary>
public enum SpecTaskStatus
{
    /// <summary><c>[ ]</c>: not started.</summary>
    NotStarted,

    /// <summary><c>[-]</c>: in progress (a run was started and has not ended, or was killed).</summary>
    InProgress,

    /// <summary><c>[x]</c>: done.</summary>
    Done,
}
