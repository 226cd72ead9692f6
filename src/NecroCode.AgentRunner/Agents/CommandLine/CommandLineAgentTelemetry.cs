using System.Diagnostics.Metrics;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>The command-line agents' instruments on the product meter (<see cref="AgentRunnerTelemetry.Meter"/>).</summary>
internal static class CommandLineAgentTelemetry
{
    /// <summary>Tokens an agent reported, tagged <c>agent</c> and <c>kind</c> (<c>input</c> or <c>output</c>).</summary>
    public static readonly Counter<long> Tokens =
        AgentRunnerTelemetry.Meter.CreateCounter<long>("agentrunner.agent.tokens", "{token}", "Tokens reported by coding agents, by agent and kind.");

    /// <summary>Cost an agent reported in US dollars, tagged <c>agent</c>.</summary>
    public static readonly Counter<double> Cost =
        AgentRunnerTelemetry.Meter.CreateCounter<double>("agentrunner.agent.cost", "USD", "Cost reported by coding agents, by agent.");

    /// <summary>Records one attempt's usage.</summary>
    public static void Record(string agent, AgentUsage usage)
    {
        var agentTag = new KeyValuePair<string, object?>("agent", agent);
        Tokens.Add(usage.InputTokens, agentTag, new KeyValuePair<string, object?>("kind", "input"));
        Tokens.Add(usage.OutputTokens, agentTag, new KeyValuePair<string, object?>("kind", "output"));
        if (usage.CostUsd is { } cost)
        {
            Cost.Add((double)cost, agentTag);
        }
    }
}
