using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Docker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Docker container mode.</summary>
public static class DockerAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Runs tasks in Docker containers: replaces the <see cref="IExecutionEnvironment"/> with
    /// <see cref="DockerExecutionEnvironment"/> configured by <see cref="DockerOptions"/> (validated at start).
    /// </summary>
    /// <param name="builder">The runner's builder.</param>
    /// <param name="configure">Sets the options; bind <c>NecroCode:Docker</c> for configuration files.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseDocker(this IAgentRunnerBuilder builder, Action<DockerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindConfiguration<DockerOptions>(DockerOptions.SectionName);
        builder.Services.AddOptions<DockerOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsPathsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionEnvironment, DockerExecutionEnvironment>());
        return builder;
    }
}
