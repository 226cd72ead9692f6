namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>An implementation broke a provider contract; the message names the case and what was seen.</summary>
public sealed class ContractViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContractViolationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what was seen.</param>
    public ContractViolationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what was seen.</param>
    /// <param name="innerException">What the implementation threw, if anything.</param>
    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
