using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Testing.Contracts;
using NUnit.Framework;

namespace CustomProvider.Tests;

/// <summary>
/// The store keeps the <see cref="IArtifactStore"/> contract (the Testing package's suite, one NUnit case per rule),
/// plus what is its own: equal contents are kept once, and <c>UseContentAddressedArtifacts</c> takes the store's place.
/// </summary>
[TestFixture]
public sealed class ContentAddressedArtifactStoreTests : IArtifactStoreContractSubject
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("cas-store-tests-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    /// <summary>A new instance over the same folder on every call, as another runner would open it.</summary>
    public IArtifactStore Open() =>
        new ContentAddressedArtifactStore(Options.Create(new ContentAddressedArtifactStoreOptions { RootPath = _folder.FullName }));

    [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
    public Task Store_KeepsTheArtifactStoreContract(ContractCase<IArtifactStoreContractSubject> contractCase) =>
        contractCase.RunAsync(this, CancellationToken.None);

    [Test]
    public async Task StoreAsync_SameContentUnderTwoKeys_KeepsOneBlob()
    {
        var store = Open();
        var task = new TaskKey("billing", "42");

        await store.StoreAsync(new ArtifactKey(task, "runner-1", "run-log.jsonl"), new MemoryStream(Encoding.UTF8.GetBytes("same")), CancellationToken.None);
        await store.StoreAsync(new ArtifactKey(task, "runner-2", "run-log.jsonl"), new MemoryStream(Encoding.UTF8.GetBytes("same")), CancellationToken.None);

        Assert.That(Directory.GetFiles(Path.Combine(_folder.FullName, "blobs")), Has.Length.EqualTo(1));
    }

    [Test]
    public void UseContentAddressedArtifacts_AfterUseFileSystem_ReplacesTheStore()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner()
            .UseFileSystem(files => files.RootPath = _folder.FullName)
            .UseContentAddressedArtifacts(store => store.RootPath = _folder.FullName);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IArtifactStore>(), Is.TypeOf<ContentAddressedArtifactStore>());
    }
}
