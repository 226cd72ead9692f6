namespace NecroCode.AgentRunner.Security;

/// <summary>What a rule found at a candidate position.</summary>
internal enum MatchStatus
{
    /// <summary>Nothing to mask here.</summary>
    None,

    /// <summary>A secret of the reported length starts here.</summary>
    Match,

    /// <summary>The text ends before the rule can decide; retry when more text has arrived.</summary>
    NeedMore,
}
