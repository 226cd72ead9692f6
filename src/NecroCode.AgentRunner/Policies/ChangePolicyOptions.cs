using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Policies;

/// <summary>Guard rails on what an agent's change may contain; checked before anything is committed.</summary>
public sealed class ChangePolicyOptions
{
    /// <summary>The configuration section the command-line host binds these options to: <c>NecroCode:Policy</c>.</summary>
    public const string SectionName = "NecroCode:Policy";

    /// <summary>
    /// Paths the agent may change, as globs relative to the workspace (<c>*</c> within a folder,
    /// <c>**</c> across folders, <c>?</c> one character), e.g. <c>src/**</c>. Empty (default): any path.
    /// </summary>
    public IList<string> AllowedPaths { get; } = [];

    /// <summary>Largest diff, in bytes of the patch, that may be committed. Null (default): no limit.</summary>
    [Range(1L, long.MaxValue)]
    public long? MaxDiffBytes { get; set; }

    /// <summary>Refuse a change that adds a known secret or a well-known token shape (push protection). Default true.</summary>
    public bool BlockSecrets { get; set; } = true;
}
