namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>What <see cref="ArtifactStoreContract"/> runs against: a factory of the artifact store under test.</summary>
public interface IArtifactStoreContractSubject
{
    /// <summary>
    /// Opens the store under test. Every call opens an instance over the same backing storage (a folder, a bucket),
    /// as another runner would, so a URI one instance returned must open through another; a store without such a
    /// backing (in memory) returns the same instance each time.
    /// </summary>
    /// <returns>The store.</returns>
    IArtifactStore Open();
}
