namespace NecroCode.AgentRunner.Configuration;

/// <summary>An options class bound from a section of the runner's configuration.</summary>
/// <param name="Section">The section's conventional path, e.g. <c>NecroCode:Git</c>; its first segment stands for the runner's section.</param>
/// <param name="OptionsType">The options class bound from it.</param>
internal sealed record OptionsSectionBinding(string Section, Type OptionsType)
{
    /// <summary>The conventional name of the runner's section: every binding's path starts with it.</summary>
    public const string RootSection = "NecroCode";

    /// <summary>The section's path relative to the runner's section, e.g. <c>Git</c>.</summary>
    public string Relative => Section.Contains(':', StringComparison.Ordinal) ? Section[(Section.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
}
