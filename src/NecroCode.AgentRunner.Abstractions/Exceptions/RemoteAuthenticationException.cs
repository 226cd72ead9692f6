namespace NecroCode.AgentRunner;

/// <summary>
/// A remote refused the runner's credentials (or asked for credentials the runner did not have). Never transient:
/// retrying with the same token fails the same way; the token or its rights on the repository must be fixed.
/// </summary>
/// <param name="remote">The remote's name, e.g. <c>origin</c>.</param>
/// <param name="message">What was refused and where the credentials came from (masked: never the token itself).</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class RemoteAuthenticationException(string remote, string message, Exception? inner = null)
    : WorkspaceException(message, inner, isTransient: false)
{
    /// <summary>The remote that refused the credentials.</summary>
    public string Remote { get; } = remote;
}
