namespace NecroCode.AgentRunner.Cli;

/// <summary>What the host prints on standard output.</summary>
internal enum OutputMode
{
    /// <summary>Live progress lines, then the summary.</summary>
    Progress,

    /// <summary>Only the summary.</summary>
    Summary,

    /// <summary>One JSON run event a line, then one <c>run.result</c> line with the summary.</summary>
    JsonLines,
}
