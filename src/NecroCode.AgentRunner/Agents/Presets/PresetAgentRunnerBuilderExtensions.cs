using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Agents.Presets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Uses one of the preset coding agents (Claude Code, Codex, Gemini CLI, Aider, Copilot CLI).</summary>
public static class PresetAgentRunnerBuilderExtensions
{
    /// <summary>Uses Claude Code (<c>claude -p … --output-format stream-json</c>) as the coding agent, replacing any other.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets its options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseClaudeCode(this IAgentRunnerBuilder builder, Action<ClaudeCodeOptions>? configure = null) =>
        Use<ClaudeCodeOptions, ClaudeCodeOptionsValidator>(builder, configure, ClaudeCodeOptions.SectionName);

    /// <summary>Uses the OpenAI Codex CLI (<c>codex exec --json</c>) as the coding agent, replacing any other.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets its options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseCodex(this IAgentRunnerBuilder builder, Action<CodexOptions>? configure = null) =>
        Use<CodexOptions, CodexOptionsValidator>(builder, configure, CodexOptions.SectionName);

    /// <summary>Uses Gemini CLI (<c>gemini -p … --output-format stream-json</c>) as the coding agent, replacing any other.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets its options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseGeminiCli(this IAgentRunnerBuilder builder, Action<GeminiCliOptions>? configure = null) =>
        Use<GeminiCliOptions, GeminiCliOptionsValidator>(builder, configure, GeminiCliOptions.SectionName);

    /// <summary>Uses Aider (<c>aider --message … --yes-always --no-auto-commits</c>) as the coding agent, replacing any other.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets its options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseAider(this IAgentRunnerBuilder builder, Action<AiderOptions>? configure = null) =>
        Use<AiderOptions, AiderOptionsValidator>(builder, configure, AiderOptions.SectionName);

    /// <summary>Uses the GitHub Copilot CLI (<c>copilot -p … --allow-all-tools</c>) as the coding agent, replacing any other.</summary>
    /// <param name="builder">The runner builder.</param>
    /// <param name="configure">Sets its options; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseCopilotCli(this IAgentRunnerBuilder builder, Action<CopilotCliOptions>? configure = null) =>
        Use<CopilotCliOptions, CopilotCliOptionsValidator>(builder, configure, CopilotCliOptions.SectionName);

    private static IAgentRunnerBuilder Use<TOptions, TValidator>(IAgentRunnerBuilder builder, Action<TOptions>? configure, string sectionName)
        where TOptions : PresetAgentOptions, new()
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindConfiguration<TOptions>(sectionName);
        services.AddOptions<TOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IValidateOptions<TOptions>), typeof(PresetOptionsConsistencyValidator)));
        services.Replace(ServiceDescriptor.Singleton<ICodingAgent, PresetCodingAgent<TOptions>>());
        return builder.AddAgentSecrets<TOptions>(o => AgentSecretVariables.Names(o.SecretVariables));
    }
}
