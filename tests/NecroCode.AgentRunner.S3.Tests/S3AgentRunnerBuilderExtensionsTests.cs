using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.S3.Tests;

[TestFixture]
public sealed class S3AgentRunnerBuilderExtensionsTests
{
    [Test]
    public void UseS3ArtifactStore_AfterAddAgentRunner_TheStoreTakesTheArtifactSlot()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseS3ArtifactStore(o => o.Bucket = "artifacts");

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IArtifactStore>(), Is.SameAs(provider.GetRequiredService<S3ArtifactStore>()));
    }

    [Test]
    public void UseS3ArtifactStore_InvalidOptions_FailWhenResolvedNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseS3ArtifactStore(o => o.Bucket = "Not_A_Bucket");

        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<S3ArtifactStoreOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain("Bucket 'Not_A_Bucket'"));
    }

    [Test]
    public void UseS3ArtifactStore_NullBuilder_Throws() =>
        Assert.That(() => S3AgentRunnerBuilderExtensions.UseS3ArtifactStore(null!), Throws.ArgumentNullException);
}
