using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitAgentRunnerBuilderExtensionsTests
{
    private sealed class Builder : IAgentRunnerBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }

    [Test]
    public void UseGit_EarlierWorkspaceManager_IsReplacedByGit()
    {
        var builder = new Builder();
        builder.Services.AddSingleton(Substitute.For<IWorkspaceManager>());

        builder.UseGit(o => o.PushAttempts = 5);
        using var provider = builder.Services.BuildServiceProvider();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetServices<IWorkspaceManager>().Single(), Is.InstanceOf<GitWorkspaceManager>());
            Assert.That(provider.GetRequiredService<IOptions<GitOptions>>().Value.PushAttempts, Is.EqualTo(5));
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        }
    }

    [Test]
    public void UseGit_NoRemoteBranchReader_AddsTheGitReader()
    {
        var builder = new Builder();

        builder.UseGit();
        using var provider = builder.Services.BuildServiceProvider();

        Assert.That(provider.GetServices<IRemoteBranchReader>().Single(), Is.InstanceOf<GitRemoteBranchReader>());
    }

    [Test]
    public void UseGit_EarlierRemoteBranchReader_IsKept()
    {
        var builder = new Builder();
        var own = Substitute.For<IRemoteBranchReader>();
        builder.Services.AddSingleton(own);

        builder.UseGit();
        using var provider = builder.Services.BuildServiceProvider();

        Assert.That(provider.GetServices<IRemoteBranchReader>().Single(), Is.SameAs(own));
    }

    [Test]
    public void UseGit_InvalidOptions_FailsValidationNamingField()
    {
        var builder = new Builder();
        builder.UseGit(o => o.FetchAttempts = 0);
        using var provider = builder.Services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<GitOptions>>().Value);

        Assert.That(exception!.Message, Does.Contain("FetchAttempts"));
    }

    [Test]
    public void UseGit_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => GitAgentRunnerBuilderExtensions.UseGit(null!));
}
