using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Kiro;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Kiro coding agent to a runner.</summary>
public static class KiroAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Uses Kiro as the coding agent, replacing any other. The secrets named in <see cref="KiroOptions.SecretVariables"/>
    /// (<c>kiro-api-key</c> by default) are added to the run's optional secrets.
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets Kiro's options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseKiro(this IAgentRunnerBuilder builder, Action<KiroOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindConfiguration<KiroOptions>(KiroOptions.SectionName);
        builder.Services.AddOptions<KiroOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KiroOptions>, KiroOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KiroOptions>, KiroOptionsConsistencyValidator>());
        builder.Services.Replace(ServiceDescriptor.Singleton<ICodingAgent, KiroCodingAgent>());
        return builder.AddAgentSecrets<KiroOptions>(o => o.SecretVariables.Where(e => !string.IsNullOrEmpty(e.Value)).Select(e => e.Key));
    }
}
