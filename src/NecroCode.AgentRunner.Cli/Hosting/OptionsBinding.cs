namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// An options class the host may bind, and its section: the provider's <c>UseX()</c> binds it from the runner's
/// configuration (<c>AddAgentRunner(section)</c>), and <see cref="KnownSettings"/> derives the known keys from it.
/// </summary>
/// <param name="Section">The section's path, e.g. <c>NecroCode:Runner</c>.</param>
/// <param name="OptionsType">The options class bound from it.</param>
internal sealed record OptionsBinding(string Section, Type OptionsType)
{
    /// <summary>A binding of <typeparamref name="TOptions"/> to <paramref name="section"/>.</summary>
    public static OptionsBinding Of<TOptions>(string section)
        where TOptions : class => new(section, typeof(TOptions));
}
