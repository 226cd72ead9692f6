using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Sandboxing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Builder methods for the local-mode sandbox of the agent, test and command-step processes.</summary>
public static class SandboxAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Configures the sandbox (<see cref="SandboxOptions"/>) that confines the agent, the test commands and the command
    /// steps of each run to the workspace. <c>AddAgentRunner</c> calls it with no changes, so the sandbox is on
    /// (<see cref="SandboxMode.Auto"/>) unless configured otherwise; call it again to change the settings.
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets the sandbox's options; applied after the configuration section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseSandbox(this IAgentRunnerBuilder builder, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindConfiguration<SandboxOptions>(SandboxOptions.SectionName);
        services.AddOptions<SandboxOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsPathsValidator>());
        services.TryAddSingleton<ProcessSandbox>();
        return builder;
    }
}
