namespace NecroCode.AgentRunner.Credentials;

/// <summary>A credential is missing, or exists but may not or cannot be read. The message never holds its value.</summary>
/// <param name="message">What is wrong, naming the secret and where it was looked for.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class CredentialException(string message, Exception? inner = null) : AgentRunnerException(message, inner)
{
}
