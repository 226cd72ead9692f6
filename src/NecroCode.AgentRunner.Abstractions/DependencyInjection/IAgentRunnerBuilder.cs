namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>services.AddAgentRunner(...)</c>; provider packages extend it with
/// <c>UseX()</c> methods that add or replace their services.
/// </summary>
public interface IAgentRunnerBuilder
{
    /// <summary>The service collection the runner is composed in.</summary>
    IServiceCollection Services { get; }
}
