using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>A coding agent the host can run, chosen by <c>NecroCode:Agent:Kind</c>.</summary>
/// <param name="Kind">The value of <c>NecroCode:Agent:Kind</c> that selects it.</param>
/// <param name="Use">Puts the agent in the runner's slot; nothing for the default command agent, which the runner registers itself.</param>
/// <param name="Options">The agent's own settings, bound only when it is chosen; none for the command agent, whose settings are always bound.</param>
internal sealed record AgentBinding(string Kind, Action<IAgentRunnerBuilder>? Use, OptionsBinding? Options);
