using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.DependencyInjection;

/// <summary>The builder returned by <c>AddAgentRunner</c>.</summary>
internal sealed class AgentRunnerBuilder(IServiceCollection services) : IAgentRunnerBuilder
{
    public IServiceCollection Services { get; } = services;
}
