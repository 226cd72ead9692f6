using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
public sealed class PresetAgentRunnerBuilderExtensionsTests
{
    private static ServiceProvider Build(Action<IAgentRunnerBuilder> use)
    {
        var services = new ServiceCollection();
        use(services.AddAgentRunner());
        return services.BuildServiceProvider();
    }

    [Test]
    public void UseClaudeCode_ReplacesTheAgent()
    {
        using var provider = Build(b => b.UseClaudeCode(o => o.Model = "sonnet"));

        Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.TypeOf<PresetCodingAgent<ClaudeCodeOptions>>());
    }

    [Test]
    public void UseEachPreset_RegistersItsAgent()
    {
        Assert.Multiple(() =>
        {
            using (var p = Build(b => b.UseCodex()))
            {
                Assert.That(p.GetRequiredService<ICodingAgent>().Name, Is.EqualTo("codex"));
            }

            using (var p = Build(b => b.UseGeminiCli()))
            {
                Assert.That(p.GetRequiredService<ICodingAgent>().Name, Is.EqualTo("gemini-cli"));
            }

            using (var p = Build(b => b.UseAider()))
            {
                Assert.That(p.GetRequiredService<ICodingAgent>().Name, Is.EqualTo("aider"));
            }

            using (var p = Build(b => b.UseCopilotCli()))
            {
                Assert.That(p.GetRequiredService<ICodingAgent>().Name, Is.EqualTo("copilot-cli"));
            }
        });
    }

    [Test]
    public void UseEachPreset_ItsKeySecretsBecomeOptionalSecrets()
    {
        static IReadOnlyList<string> Optional(Action<IAgentRunnerBuilder> use)
        {
            using var provider = Build(use);
            return provider.GetRequiredService<IOptions<CredentialOptions>>().Value.OptionalSecrets;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Optional(b => b.UseClaudeCode()), Is.EqualTo(new[] { "anthropic-api-key" }));
            Assert.That(Optional(b => b.UseCodex()), Is.EqualTo(new[] { "openai-api-key" }));
            Assert.That(Optional(b => b.UseGeminiCli()), Is.EqualTo(new[] { "gemini-api-key" }));
            Assert.That(Optional(b => b.UseCopilotCli()), Is.EqualTo(new[] { "copilot-github-token" }));
            Assert.That(Optional(b => b.UseAider()), Is.EqualTo(new[] { "anthropic-api-key", "openai-api-key", "gemini-api-key", "deepseek-api-key", "openrouter-api-key" }));
        });
    }

    [Test]
    public void AddAgentRunner_CommandAgentWithSecretVariables_TheyBecomeOptionalSecretsWithoutValidatingTheCommand()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner();
        services.Configure<CommandAgentOptions>(o => o.SecretVariables["openai-api-key"] = "OPENAI_API_KEY");
        using var provider = services.BuildServiceProvider();

        var credentials = provider.GetRequiredService<IOptions<CredentialOptions>>().Value;

        Assert.That(credentials.OptionalSecrets, Is.EqualTo(new[] { "openai-api-key" }));
    }

    [Test]
    public void UseClaudeCode_UnknownPermissionMode_FailsValidationNamingTheSetting()
    {
        using var provider = Build(b => b.UseClaudeCode(o => o.PermissionMode = "yolo"));

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ClaudeCodeOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("ClaudeCodeOptions.PermissionMode").And.Contain("acceptEdits"));
    }

    [Test]
    public void UseCodex_EmptyCommand_FailsValidation()
    {
        using var provider = Build(b => b.UseCodex(o => o.Command = ""));

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<CodexOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("Command"));
    }
}
