using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.Tests.FileSystem;

/// <summary>The artifact store contract, run against the file-system store (each instance a new store over one folder).</summary>
[TestFixture]
public sealed class FileSystemArtifactStoreContractTests : IArtifactStoreContractSubject
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder("necrocode-artifact-contract-");

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
    public Task Store_KeepsTheArtifactStoreContract(ContractCase<IArtifactStoreContractSubject> contractCase) =>
        contractCase.RunAsync(this, CancellationToken.None);

    public IArtifactStore Open() =>
        new FileSystemArtifactStore(Options.Create(new FileSystemOptions { RootPath = _dir.Path }), NullLogger<FileSystemArtifactStore>.Instance);
}
