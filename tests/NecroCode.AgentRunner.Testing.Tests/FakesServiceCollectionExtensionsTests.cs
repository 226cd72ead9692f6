using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakesServiceCollectionExtensionsTests
{
    [Test]
    public void AddAgentRunnerFakes_EarlierRegistrations_ReplacedByTheFakes()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITaskRegistry>(new FakeTaskRegistry());
        services.AddSingleton<ITaskRegistry>(new FakeTaskRegistry());
        services.AddSingleton<IProcessRunner>(new FakeProcessRunner());
        services.AddSingleton<ISecretMasker>(new FakeSecretMasker());
        services.AddSingleton<IPromptBuilder>(new FakePromptBuilder());
        var fakes = new AgentRunnerFakes();

        services.AddAgentRunnerFakes(fakes);

        using var provider = services.BuildServiceProvider();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetServices<ITaskRegistry>(), Is.EqualTo(new[] { fakes.Registry }));
            Assert.That(provider.GetServices<IProcessRunner>(), Is.EqualTo(new[] { fakes.Processes }));
            Assert.That(provider.GetServices<ISecretMasker>(), Is.EqualTo(new[] { fakes.Masker }));
            Assert.That(provider.GetServices<IPromptBuilder>(), Is.EqualTo(new[] { fakes.Prompts }));
            Assert.That(provider.GetRequiredService<FakeSecretMasker>(), Is.SameAs(fakes.Masker));
            Assert.That(provider.GetRequiredService<FakeWorkspaceManager>(), Is.SameAs(fakes.Workspace));
            Assert.That(provider.GetRequiredService<AgentRunnerFakes>(), Is.SameAs(fakes));
        });
    }

    [Test]
    public void AddAgentRunnerFakes_Twice_TheLaterSetWins()
    {
        var services = new ServiceCollection();
        var later = new AgentRunnerFakes();

        services.AddAgentRunnerFakes().AddAgentRunnerFakes(later);

        using var provider = services.BuildServiceProvider();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<AgentRunnerFakes>(), Is.SameAs(later));
            Assert.That(provider.GetServices<ICodingAgent>(), Is.EqualTo(new[] { later.Agent }));
            Assert.That(provider.GetServices<IProcessRunner>(), Is.EqualTo(new[] { later.Processes }));
            Assert.That(provider.GetServices<ISecretMasker>(), Is.EqualTo(new[] { later.Masker }));
            Assert.That(provider.GetServices<IPromptBuilder>(), Is.EqualTo(new[] { later.Prompts }));
        });
    }

    [Test]
    public void AddAgentRunnerFakes_NullServices_Throws() =>
        Assert.That(() => FakesServiceCollectionExtensions.AddAgentRunnerFakes(null!), Throws.ArgumentNullException);
}
