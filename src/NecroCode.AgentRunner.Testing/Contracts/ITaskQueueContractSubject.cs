namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// What <see cref="TaskQueueContract"/> needs of a provider: besides the registry's clients and lapses, fresh queue
/// clients over the same store (the queue's claims are the registry's).
/// </summary>
public interface ITaskQueueContractSubject : ITaskRegistryContractSubject
{
    /// <summary>Opens a queue client of the store under test, as another worker process would; several may be open at once.</summary>
    /// <returns>The queue.</returns>
    ITaskQueue OpenQueue();
}
