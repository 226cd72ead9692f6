using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>A shared registry the host can use (task registry, queue, locks), chosen by <c>NecroCode:Registry:Kind</c>.</summary>
/// <param name="Kind">The value of <c>NecroCode:Registry:Kind</c> that selects it.</param>
/// <param name="Use">Puts the provider in place; nothing for the file system, which the runner registers itself.</param>
/// <param name="Options">The provider's own settings, bound only when it is chosen; none for the file system, whose settings are always bound.</param>
internal sealed record RegistryBinding(string Kind, Action<IAgentRunnerBuilder>? Use, OptionsBinding? Options);
