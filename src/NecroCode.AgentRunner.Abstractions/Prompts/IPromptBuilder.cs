namespace NecroCode.AgentRunner;

/// <summary>Builds the prompt handed to the coding agent. Replace it to change the wording.</summary>
public interface IPromptBuilder
{
    /// <summary>Builds the implementation prompt.</summary>
    /// <param name="request">The task, workspace and (for fix attempts) the failure to fix.</param>
    /// <returns>The prompt text; the same input gives the same text.</returns>
    string Build(PromptRequest request);
}
