namespace NecroCode.AgentRunner.Agents;

/// <summary>How <see cref="CommandCodingAgent"/> hands the prompt to its command.</summary>
public enum PromptMode
{
    /// <summary>Written to standard input, which is then closed.</summary>
    Stdin,

    /// <summary>
    /// Written to a file in a private temp folder outside the workspace, deleted afterwards; its path replaces
    /// <c>{prompt-file}</c> in the arguments, or is appended as the last argument when no argument holds it.
    /// </summary>
    File,

    /// <summary>Replaces <c>{prompt}</c> in the arguments, or is appended as the last argument when no argument holds it.</summary>
    Argument,
}
