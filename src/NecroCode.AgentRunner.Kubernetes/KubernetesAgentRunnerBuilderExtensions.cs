using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Kubernetes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Kubernetes Job mode.</summary>
public static class KubernetesAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Runs tasks as Kubernetes Jobs: replaces the <see cref="IExecutionEnvironment"/> with
    /// <see cref="KubernetesExecutionEnvironment"/> configured by <see cref="KubernetesOptions"/> (validated at start). The
    /// registry and the artifact store must be ones the pods share (e.g. <c>UsePostgreSql()</c> and <c>UseS3ArtifactStore()</c>).
    /// </summary>
    /// <param name="builder">The runner's builder.</param>
    /// <param name="configure">Sets the options, after the <c>NecroCode:Kubernetes</c> section of a runner composed from configuration.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseKubernetes(this IAgentRunnerBuilder builder, Action<KubernetesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindConfiguration<KubernetesOptions>(KubernetesOptions.SectionName);
        builder.Services.AddOptions<KubernetesOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionEnvironment, KubernetesExecutionEnvironment>());
        return builder;
    }
}
