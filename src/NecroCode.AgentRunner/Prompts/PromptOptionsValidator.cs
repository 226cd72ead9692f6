using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>Checks <see cref="PromptOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PromptOptionsValidator : IValidateOptions<PromptOptions>;

/// <summary>Checks the guidance patterns and the template of <see cref="PromptOptions"/>: the template file is read and every placeholder checked.</summary>
internal sealed class PromptOptionsTemplateValidator : IValidateOptions<PromptOptions>
{
    public ValidateOptionsResult Validate(string? name, PromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var pattern in options.GuidanceFiles)
        {
            var segments = (pattern ?? "").Replace('\\', '/').Split('/');
            if (string.IsNullOrWhiteSpace(pattern) || Path.IsPathRooted(pattern) || segments.Contains("..") || segments[..^1].Any(s => s.Contains('*', StringComparison.Ordinal)))
            {
                failures.Add($"PromptOptions.GuidanceFiles entry '{pattern}' must be a path inside the repository (no '..', not absolute), with '*' only in its last segment.");
            }
        }

        if (options.Template is not null && options.TemplateFile is not null)
        {
            failures.Add("PromptOptions.Template and PromptOptions.TemplateFile are both set; set one.");
        }
        else if (options.TemplateFile is { } file)
        {
            if (!File.Exists(file))
            {
                failures.Add($"PromptOptions.TemplateFile '{file}' does not exist.");
            }
            else
            {
                try
                {
                    failures.AddRange(PromptTemplate.Check(File.ReadAllText(file)).Select(p => $"PromptOptions.TemplateFile '{file}' {p}."));
                }
                catch (IOException ex)
                {
                    failures.Add($"PromptOptions.TemplateFile '{file}' could not be read: {ex.Message}");
                }
                catch (UnauthorizedAccessException ex)
                {
                    failures.Add($"PromptOptions.TemplateFile '{file}' could not be read: {ex.Message}");
                }
            }
        }
        else if (options.Template is { } template)
        {
            failures.AddRange(PromptTemplate.Check(template).Select(p => $"PromptOptions.Template {p}."));
        }

        if (failures.Any(f => f.Contains("unknown placeholder", StringComparison.Ordinal)))
        {
            failures.Add("Known placeholders: " + string.Join(", ", PromptTemplate.Placeholders.Select(p => "{{" + p + "}}")) + ".");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
