namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>What <see cref="BranchLockContract"/> needs of a provider: fresh clients of one store of branch locks.</summary>
/// <remarks>Every case uses branch names of its own. The subject owns what it opens and disposes of it when the test ends.</remarks>
public interface IBranchLockContractSubject
{
    /// <summary>Opens a client of the locks under test, as another runner process would; several may be open at once.</summary>
    /// <returns>The branch locks.</returns>
    IBranchLock OpenBranchLock();
}
