using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.Presets;

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

        Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.TypeOf<ClaudeCodeCodingAgent>());
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
