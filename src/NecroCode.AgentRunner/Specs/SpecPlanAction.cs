namespace NecroCode.AgentRunner.Specs;

/// <summary>What a spec run does with a task.</summary>
public enum SpecPlanAction
{
    /// <summary>Runs it.</summary>
    Run,

    /// <summary>Resumes its killed run (it is marked in progress), or runs it afresh when nothing is left of that run.</summary>
    Resume,

    /// <summary>Nothing: it is done.</summary>
    Done,

    /// <summary>Nothing: it is optional, or outside the selection.</summary>
    Skip,
}
