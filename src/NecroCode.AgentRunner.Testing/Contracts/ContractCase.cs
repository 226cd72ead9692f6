namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// One behaviour a provider must have, written once and run against any implementation: hand it the thing under test
/// (through <typeparamref name="TSubject"/>, which opens fresh instances over one backing store) and it throws
/// <see cref="ContractViolationException"/> when the implementation does not behave.
/// </summary>
/// <remarks>
/// The cases do not depend on a test framework. With NUnit, for example:
/// <code>
/// [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
/// public Task Registry_keeps_the_contract(ContractCase&lt;ITaskRegistryContractSubject&gt; contractCase) =&gt;
///     contractCase.RunAsync(new MyRegistrySubject(), CancellationToken.None);
/// </code>
/// </remarks>
/// <typeparam name="TSubject">What the case needs: a factory of the implementation under test.</typeparam>
public sealed class ContractCase<TSubject>
{
    private readonly Func<TSubject, CancellationToken, Task> _body;

    /// <summary>Creates a case.</summary>
    /// <param name="name">Its name: the behaviour, as a sentence.</param>
    /// <param name="body">The case: throws <see cref="ContractViolationException"/> when the behaviour is missing.</param>
    public ContractCase(string name, Func<TSubject, CancellationToken, Task> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(body);
        Name = name;
        _body = body;
    }

    /// <summary>The behaviour, as a sentence.</summary>
    public string Name { get; }

    /// <summary>Runs the case against <paramref name="subject"/>.</summary>
    /// <param name="subject">Opens the implementation under test.</param>
    /// <param name="cancellationToken">Cancels the case.</param>
    /// <returns>A task that completes when the case has passed.</returns>
    /// <exception cref="ContractViolationException">The implementation broke the contract; the message says how.</exception>
    public Task RunAsync(TSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _body(subject, cancellationToken);
    }

    /// <summary>Returns <see cref="Name"/> (test runners show it).</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
