using NecroCode.AgentRunner.Configuration;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// The keys the host understands under <c>NecroCode</c>: the options classes it binds (<see cref="HostBindings"/>) and
/// its own keys (<see cref="HostKeys"/>), described by the library's <see cref="SettingsSchema"/>.
/// </summary>
internal static class KnownSettings
{
    /// <summary>The host's known keys.</summary>
    public static SettingsSchema ForHost { get; } = Create(HostBindings.All, HostKeys.All);

    /// <summary>Builds the known keys from options bindings and further plain keys relative to the root section.</summary>
    /// <param name="bindings">The options classes and the sections they bind from.</param>
    /// <param name="hostKeys">Keys the host reads itself, relative to <c>NecroCode</c>, e.g. <c>Logging:Level</c>.</param>
    /// <returns>The known keys.</returns>
    public static SettingsSchema Create(IEnumerable<OptionsBinding> bindings, IEnumerable<string> hostKeys) =>
        SettingsSchema.Create(RunnerHost.RootSection, bindings.Select(b => (b.Section, b.OptionsType)), hostKeys);
}
