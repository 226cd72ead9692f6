namespace NecroCode.AgentRunner.Git;

/// <summary>A fetch or push failed; <see cref="Kind"/> drives the retry decision.</summary>
/// <param name="message">The (masked) error.</param>
/// <param name="kind">How to treat the failure.</param>
/// <param name="inner">The underlying exception, if any.</param>
internal sealed class GitTransportException(string message, GitErrorKind kind, Exception? inner = null)
    : WorkspaceException(message, inner, kind == GitErrorKind.Transient)
{
    /// <summary>How to treat the failure.</summary>
    public GitErrorKind Kind { get; } = kind;
}
