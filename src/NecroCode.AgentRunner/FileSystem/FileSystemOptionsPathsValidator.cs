using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>Checks that the paths of <see cref="FileSystemOptions"/> are usable and distinct.</summary>
internal sealed class FileSystemOptionsPathsValidator : IValidateOptions<FileSystemOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FileSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var paths = new (string Name, string? Value)[]
        {
            (nameof(options.RootPath), options.RootPath),
            (nameof(options.RegistryPath), options.RegistryPath),
            (nameof(options.SlotsPath), options.SlotsPath),
            (nameof(options.ArtifactsPath), options.ArtifactsPath),
        };
        foreach (var (key, value) in paths)
        {
            if (value is not null && (value.Length == 0 || value.Any(char.IsControl)))
            {
                failures.Add($"{key} must be a non-empty path without NUL or control characters.");
            }
        }

        if (failures.Count == 0)
        {
            foreach (var (key, value) in paths)
            {
                if (value is not null && Unusable(value) is { } problem)
                {
                    failures.Add($"{key}: {problem}");
                }
            }
        }

        if (failures.Count == 0)
        {
            var resolved = new[] { options.GetRegistryPath(), options.GetSlotsPath(), options.GetArtifactsPath() };
            if (resolved.Distinct(StringComparer.Ordinal).Count() != resolved.Length)
            {
                failures.Add($"RegistryPath, SlotsPath and ArtifactsPath must be different folders (got '{string.Join("', '", resolved)}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Why a folder cannot be used, or null: it is a file, or it does not exist and neither does its parent. A
    /// missing folder is created on first use, but only inside an existing one, so that a mistyped path is refused
    /// before anything is created instead of growing a tree of folders somewhere unexpected.
    /// </summary>
    private static string? Unusable(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (File.Exists(full))
        {
            return $"'{full}' is a file, not a folder.";
        }

        var parent = Path.GetDirectoryName(full);
        return Directory.Exists(full) || parent is null || Directory.Exists(parent)
            ? null
            : $"the folder '{full}' does not exist and neither does its parent '{parent}'; create the parent first (a missing folder is only created inside an existing one).";
    }
}
