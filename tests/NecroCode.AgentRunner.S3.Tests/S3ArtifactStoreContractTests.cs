using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>
/// The artifact store contract, run against the S3 store on the local server and (opt-in) a real endpoint. The
/// multipart threshold is lowered to 5 MiB so the contract's 20 MiB artifact goes up in parts.
/// </summary>
[TestFixture(S3TestTarget.Local)]
[TestFixture(S3TestTarget.Real)]
public sealed class S3ArtifactStoreContractTests(string kind) : IArtifactStoreContractSubject
{
    private readonly List<S3ArtifactStore> _stores = [];
    private S3TestTarget _target = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp() => _target = await S3TestTarget.OpenAsync(kind);

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        _stores.ForEach(s => s.Dispose());
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
    public Task Store_KeepsTheArtifactStoreContract(ContractCase<IArtifactStoreContractSubject> contractCase) =>
        contractCase.RunAsync(this, CancellationToken.None);

    public IArtifactStore Open()
    {
        var store = _target.CreateStore(_target.Options(o => (o.MultipartThresholdBytes, o.PartSizeBytes) = (S3ArtifactStoreOptions.MinPartSizeBytes, S3ArtifactStoreOptions.MinPartSizeBytes)));
        _stores.Add(store);
        return store;
    }
}
