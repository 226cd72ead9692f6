namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>Where a configuration provider's keys come from, for messages about them.</summary>
/// <param name="Describe">Names where a key came from, e.g. <c>environment variable NecroCode__Runner__X</c>.</param>
internal sealed record SettingsSource(Func<string, string> Describe)
{
    /// <summary>The JSON settings file at <paramref name="path"/>.</summary>
    public static SettingsSource File(string path) => new(_ => $"file {path}");

    /// <summary>Environment variables, named with <c>__</c> between sections.</summary>
    public static SettingsSource Environment { get; } = new(key => $"environment variable {VariableOf(key)}");

    /// <summary>Command-line options (<c>--set</c> and the named ones).</summary>
    public static SettingsSource CommandLine { get; } = new(_ => "command line");

    /// <summary>Settings the host supplies itself (the demo's).</summary>
    public static SettingsSource BuiltIn { get; } = new(_ => "built-in settings");

    /// <summary>The environment variable a key came from, spelled as it is set (names differ from keys only in case and separators).</summary>
    private static string VariableOf(string key)
    {
        var name = key.Replace(":", "__", StringComparison.Ordinal);
        return System.Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Replace(":", "__", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault() ?? name;
    }
}
