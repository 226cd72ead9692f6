using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// Settings of <see cref="DefaultPromptBuilder"/>: which guidance files of the repository go into the prompt, and
/// an optional template replacing the built-in layout.
/// </summary>
public sealed class PromptOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Prompt</c>.</summary>
    public const string SectionName = "NecroCode:Prompt";

    /// <summary>
    /// The repository's guidance files put into the prompt, as paths relative to the workspace; the last segment may
    /// hold <c>*</c> (any characters but <c>/</c>). Taken in this order, the files of one pattern sorted by path
    /// (ordinal); a file matched twice is taken once; missing files are skipped, and so is a file whose real path
    /// leads outside the workspace. Default <c>.kiro/steering/*.md</c>, <c>AGENTS.md</c>, <c>CLAUDE.md</c>; empty: no
    /// guidance.
    /// </summary>
    public IList<string> GuidanceFiles { get; set; } = [".kiro/steering/*.md", "AGENTS.md", "CLAUDE.md"];

    /// <summary>
    /// The most characters of guidance put into one prompt, all files together; the file that crosses the limit is
    /// cut with a note, and later files are left out with a note naming them. Default 32,000.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxGuidanceCharacters { get; set; } = 32_000;

    /// <summary>
    /// A prompt template replacing the built-in layout, with named placeholders such as <c>{{title}}</c> (see
    /// <see cref="PromptTemplate.Placeholders"/>). Null (default): the built-in layout. An unknown placeholder fails the
    /// start. Set this or <see cref="TemplateFile"/>, not both.
    /// </summary>
    public string? Template { get; set; }

    /// <summary>A file holding the template (UTF-8), read once when the runner starts. Null (default): none.</summary>
    public string? TemplateFile { get; set; }
}
