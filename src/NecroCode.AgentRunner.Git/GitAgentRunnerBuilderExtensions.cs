using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Git;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the git workspace manager.</summary>
public static class GitAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="GitWorkspaceManager"/> the runner's <see cref="IWorkspaceManager"/>, with
    /// <see cref="GitOptions"/> validated at start, and adds <see cref="GitRemoteBranchReader"/> as the
    /// <see cref="IRemoteBranchReader"/> unless one is registered already.
    /// </summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Adjusts the git options; null keeps the defaults.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseGit(this IAgentRunnerBuilder builder, Action<GitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindConfiguration<GitOptions>(GitOptions.SectionName);
        builder.Services.AddOptions<GitOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        builder.Services.AddOptions<AgentRunnerOptions>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitOptions>, GitOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitOptions>, GitOptionsPatternValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWorkspaceManager, GitWorkspaceManager>());
        builder.Services.TryAddSingleton<IRemoteBranchReader, GitRemoteBranchReader>();
        return builder;
    }
}
