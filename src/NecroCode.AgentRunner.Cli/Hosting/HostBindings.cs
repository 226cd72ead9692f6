using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Docker;
using NecroCode.AgentRunner.Kubernetes;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Git;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.PostgreSql;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.S3;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// Everything the host binds under <c>NecroCode</c>. <see cref="RunnerHost"/> composes the runner from these
/// tables and <see cref="KnownSettings"/> derives the known keys from them, so the two cannot disagree.
/// </summary>
internal static class HostBindings
{
    /// <summary>The options bound on every host (the command agent's among them, whichever agent is chosen).</summary>
    public static readonly IReadOnlyList<OptionsBinding> Common =
    [
        OptionsBinding.Of<AgentRunnerOptions>(AgentRunnerOptions.SectionName),
        OptionsBinding.Of<FileSystemOptions>(FileSystemOptions.SectionName),
        OptionsBinding.Of<CommandAgentOptions>(CommandAgentOptions.SectionName),
        OptionsBinding.Of<PromptOptions>(PromptOptions.SectionName),
        OptionsBinding.Of<GitOptions>(GitOptions.SectionName),
        OptionsBinding.Of<ProcessRunnerOptions>(ProcessRunnerOptions.SectionName),
        OptionsBinding.Of<SandboxOptions>(SandboxOptions.SectionName),
        OptionsBinding.Of<TestRunnerOptions>(TestRunnerOptions.SectionName),
        OptionsBinding.Of<SecretMaskerOptions>(SecretMaskerOptions.SectionName),
        OptionsBinding.Of<ChangePolicyOptions>(ChangePolicyOptions.SectionName),
        OptionsBinding.Of<BudgetOptions>(BudgetOptions.SectionName),
        OptionsBinding.Of<ConcurrencyOptions>(ConcurrencyOptions.SectionName),
        OptionsBinding.Of<CredentialOptions>(CredentialOptions.SectionName),
        OptionsBinding.Of<AgentRunnerHealthCheckOptions>(AgentRunnerHealthCheckOptions.SectionName),
    ];

    /// <summary>The options of the <c>docker</c> execution mode, bound when it is chosen.</summary>
    public static readonly OptionsBinding Docker = OptionsBinding.Of<DockerOptions>(DockerOptions.SectionName);

    /// <summary>The options of the <c>kubernetes</c> execution mode, bound when it is chosen.</summary>
    public static readonly OptionsBinding Kubernetes = OptionsBinding.Of<KubernetesOptions>(KubernetesOptions.SectionName);

    /// <summary>The options of the <c>s3</c> artifact store, bound when it is chosen.</summary>
    public static readonly OptionsBinding S3 = OptionsBinding.Of<S3ArtifactStoreOptions>(S3ArtifactStoreOptions.SectionName);

    /// <summary>The shared registries, by <c>NecroCode:Registry:Kind</c>; the first (the file system, bound in <see cref="Common"/>) is the default.</summary>
    public static readonly IReadOnlyList<RegistryBinding> Registries =
    [
        new("file-system", null, null),
        new("postgresql", r => r.UsePostgreSql(), OptionsBinding.Of<PostgreSqlOptions>(PostgreSqlOptions.SectionName)),
    ];

    /// <summary>The agents, by <c>NecroCode:Agent:Kind</c>; the first is the default.</summary>
    public static readonly IReadOnlyList<AgentBinding> Agents =
    [
        new("command", null, null),
        new("kiro", r => r.UseKiro(), OptionsBinding.Of<KiroOptions>(KiroOptions.SectionName)),
        new("claude-code", r => r.UseClaudeCode(), OptionsBinding.Of<ClaudeCodeOptions>(ClaudeCodeOptions.SectionName)),
        new("codex", r => r.UseCodex(), OptionsBinding.Of<CodexOptions>(CodexOptions.SectionName)),
        new("gemini-cli", r => r.UseGeminiCli(), OptionsBinding.Of<GeminiCliOptions>(GeminiCliOptions.SectionName)),
        new("aider", r => r.UseAider(), OptionsBinding.Of<AiderOptions>(AiderOptions.SectionName)),
        new("copilot-cli", r => r.UseCopilotCli(), OptionsBinding.Of<CopilotCliOptions>(CopilotCliOptions.SectionName)),
    ];

    /// <summary>Every options binding the host may make, whichever agent and execution mode are chosen.</summary>
    public static IEnumerable<OptionsBinding> All =>
        Common.Append(Docker).Append(Kubernetes).Append(S3)
            .Concat(Agents.Where(a => a.Options is not null).Select(a => a.Options!))
            .Concat(Registries.Where(r => r.Options is not null).Select(r => r.Options!));
}
