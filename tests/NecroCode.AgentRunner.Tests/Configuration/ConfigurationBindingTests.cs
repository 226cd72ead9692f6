using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Configuration;

[TestFixture]
public sealed class ConfigurationBindingTests
{
    private static IConfigurationRoot Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Test]
    public void AddAgentRunner_Section_BindsEveryCoreOptionsClass()
    {
        var settings = Settings(
            ("NecroCode:Runner:MainBranch", "trunk"),
            ("NecroCode:FileSystem:RootPath", "/srv/necrocode"),
            ("NecroCode:Processes:TerminateGracePeriod", "00:00:07"),
            ("NecroCode:Agent:Command", "my-agent"));
        var services = new ServiceCollection();

        services.AddAgentRunner(settings.GetSection("NecroCode"));
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value.MainBranch, Is.EqualTo("trunk"));
            Assert.That(provider.GetRequiredService<IOptions<FileSystemOptions>>().Value.RootPath, Is.EqualTo("/srv/necrocode"));
            Assert.That(provider.GetRequiredService<IOptions<ProcessRunnerOptions>>().Value.TerminateGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(provider.GetRequiredService<IOptions<NecroCode.AgentRunner.Agents.CommandAgentOptions>>().Value.Command, Is.EqualTo("my-agent"));
        });
    }

    [Test]
    public void AddAgentRunner_ConfigurationRoot_UsesItsNecroCodeSectionAndIgnoresTheRest()
    {
        var settings = Settings(("NecroCode:Runner:MainBranch", "trunk"), ("Logging:LogLevel:Default", "Warning"), ("AllowedHosts", "*"));
        var services = new ServiceCollection();

        services.AddAgentRunner(settings);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value.MainBranch, Is.EqualTo("trunk"));
    }

    [Test]
    public void AddAgentRunner_ConfigureDelegate_WinsOverTheSection()
    {
        var settings = Settings(("NecroCode:Runner:MainBranch", "trunk"));
        var services = new ServiceCollection();

        services.AddAgentRunner(settings.GetSection("NecroCode"), o => o.MainBranch = "develop");
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value.MainBranch, Is.EqualTo("develop"));
    }

    [Test]
    public void UnknownKey_IsRefusedWhenTheOptionsAreRead_NamingItsPathAndTheNearestKey()
    {
        var settings = Settings(("NecroCode:Runner:MainBrnch", "trunk"), ("NecroCode:Gti:PushAttempts", "3"));
        var services = new ServiceCollection();
        services.AddAgentRunner(settings.GetSection("NecroCode"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value)!;

        Assert.That(error.Failures, Is.EquivalentTo(new[]
        {
            "NecroCode:Runner:MainBrnch is not a setting; did you mean NecroCode:Runner:MainBranch?",
            "NecroCode:Gti:PushAttempts is not a setting",
        }));
    }

    [Test]
    public void ProviderSection_IsKnownAndBoundOnlyWhenItsUseMethodIsCalled()
    {
        var settings = Settings(("NecroCode:Codex:Command", "codex"), ("NecroCode:Codex:Model", "o4"));

        var without = new ServiceCollection();
        without.AddAgentRunner(settings.GetSection("NecroCode"));
        using var withoutProvider = without.BuildServiceProvider();
        var with = new ServiceCollection();
        with.AddAgentRunner(settings.GetSection("NecroCode")).UseCodex();
        using var withProvider = with.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(() => withoutProvider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value,
                Throws.TypeOf<OptionsValidationException>().With.Message.Contain("NecroCode:Codex:Model is not a setting"));
            Assert.That(withProvider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value, Is.Not.Null);
            Assert.That(withProvider.GetRequiredService<IOptions<CodexOptions>>().Value.Model, Is.EqualTo("o4"));
        });
    }

    [Test]
    public void InvalidValue_FailureNamesTheSettingsPath()
    {
        var settings = Settings(("NecroCode:Processes:TerminateGracePeriod", "01:00:00"));
        var services = new ServiceCollection();
        services.AddAgentRunner(settings.GetSection("NecroCode"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ProcessRunnerOptions>>().Value)!;
        TestContext.Out.WriteLine(error.Message);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("NecroCode:Processes:TerminateGracePeriod"));
            Assert.That(error.Message, Does.Not.Contain("ProcessRunnerOptions."));
        });
    }

    [Test]
    public void SectionElsewhere_MessagesNameItsOwnPath()
    {
        var settings = Settings(("Services:Coding:Runner:MainBrnch", "x"), ("Services:Coding:Processes:TerminateGracePeriod", "01:00:00"));
        var services = new ServiceCollection();
        services.AddAgentRunner(settings.GetSection("Services:Coding"));
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(() => provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value, Throws.TypeOf<OptionsValidationException>()
                .With.Message.Contain("Services:Coding:Runner:MainBrnch is not a setting; did you mean Services:Coding:Runner:MainBranch?"));
            Assert.That(() => provider.GetRequiredService<IOptions<ProcessRunnerOptions>>().Value, Throws.TypeOf<OptionsValidationException>()
                .With.Message.Contain("Services:Coding:Processes:TerminateGracePeriod"));
        });
    }

    [Test]
    public void AddAgentRunner_WithoutConfiguration_BindsNothingAndChecksNoKeys()
    {
        var services = new ServiceCollection();

        services.AddAgentRunner().UseCodex(o => o.Command = "codex");
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value.MainBranch, Is.EqualTo("main"));
            Assert.That(provider.GetRequiredService<IOptions<CodexOptions>>().Value.Command, Is.EqualTo("codex"));
        });
    }

    [Test]
    public void BindConfiguration_SectionNotBelowTheRunners_IsRefused()
    {
        var services = new ServiceCollection();
        var builder = services.AddAgentRunner(Settings().GetSection("NecroCode"));

        Assert.That(() => builder.BindConfiguration<CodexOptions>("Codex"), Throws.ArgumentException.With.Message.Contain("NecroCode:Name"));
    }
}
