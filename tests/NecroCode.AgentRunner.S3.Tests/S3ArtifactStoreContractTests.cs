using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>
/// The artifact store contract, run against the S3 store on the local server and (opt-in) a real endpoint. The
/// multipart threshold is lowered to 5 MiB so the contract's 20 MiB artifact goes up in parts.
/// </summary>
[TestFixture(S3TestTarget.Local)]
[TestFixture(S3TestTarget.Real)]
public sealed class S3ArtifactStoreContractTests(string kind) : S3TargetFixture(kind), IArtifactStoreContractSubject
{
    private readonly List<S3ArtifactStore> _stores = [];
    [OneTimeTearDown]
    public void DisposeStores() => _stores.ForEach(s => s.Dispose());

    [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
    public Task Store_KeepsTheArtifactStoreContract(ContractCase<IArtifactStoreContractSubject> contractCase) =>
        contractCase.RunAsync(this, CancellationToken.None);

    public IArtifactStore Open()
    {
        var store = Target.CreateStore(Target.Options(o => (o.MultipartThresholdBytes, o.PartSizeBytes) = (S3ArtifactStoreOptions.MinPartSizeBytes, S3ArtifactStoreOptions.MinPartSizeBytes)));
        _stores.Add(store);
        return store;
    }
}
