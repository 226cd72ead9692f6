using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Execution;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.DependencyInjection;

[TestFixture]
public sealed class CompositionCheckTests
{
    [Test]
    public void Resolve_WithoutWorkspaceProvider_FailsBeforeAnyTaskNamingUseGit()
    {
        using var root = new TempFolder("necrocode-composition-");
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFileSystem(o => o.RootPath = root.Path);
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(() => provider.GetRequiredService<IAgentRunner>(),
                Throws.InvalidOperationException.With.Message.Contain(".UseGit()").And.Message.Contain("IWorkspaceManager"));
            Assert.That(() => provider.GetRequiredService<IExecutionEnvironment>(), Throws.InvalidOperationException.With.Message.Contain(".UseGit()"));
            Assert.That(Directory.EnumerateFileSystemEntries(root.Path), Is.Empty, "nothing was touched");
        });
    }

    [Test]
    public void Resolve_WithAWorkspaceProvider_GivesTheRunner()
    {
        using var root = new TempFolder("necrocode-composition-");
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFileSystem(o => o.RootPath = root.Path).UseCommandAgent(o => o.Command = "sh");
        services.AddSingleton(Substitute.For<IWorkspaceManager>());
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IAgentRunner>(), Is.Not.Null);
    }

    [Test]
    public void Resolve_WhenTasksRunElsewhere_NeedsNoWorkspaceProvider()
    {
        using var root = new TempFolder("necrocode-composition-");
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFileSystem(o => o.RootPath = root.Path);
        var elsewhere = Substitute.For<IExecutionEnvironment>();
        services.AddSingleton(elsewhere);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IExecutionEnvironment>(), Is.SameAs(elsewhere));
    }
}
