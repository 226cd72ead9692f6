using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.Testing.Tests;

/// <summary>The artifact store contract, run against the in-memory fake (one instance: it has no other backing).</summary>
[TestFixture]
public sealed class FakeArtifactStoreContractTests : IArtifactStoreContractSubject
{
    private FakeArtifactStore _store = null!;

    [SetUp]
    public void SetUp() => _store = new FakeArtifactStore();

    [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
    public Task Store_KeepsTheArtifactStoreContract(ContractCase<IArtifactStoreContractSubject> contractCase) =>
        contractCase.RunAsync(this, CancellationToken.None);

    public IArtifactStore Open() => _store;
}
