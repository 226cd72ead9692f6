using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Specs;

/// <summary>How a spec folder is read into task contexts.</summary>
public sealed class SpecReadOptions
{
    /// <summary>The spec name of every task (the registry's key and the branch template's <c>{spec}</c>). Default: the folder's name.</summary>
    public string? SpecName { get; set; }

    /// <summary>Test commands of every task; when empty they are detected from the repository.</summary>
    public IList<string> TestCommands { get; } = [];

    /// <summary>Most characters of <c>design.md</c> given to one task as context. Default 6000; 0 gives none.</summary>
    [Range(0, 200_000)]
    public int MaxDesignContextLength { get; set; } = 6000;
}
