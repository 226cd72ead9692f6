namespace NecroCode.AgentRunner.Policies;

/// <summary>One place in a file where a secret or token shape was found.</summary>
/// <param name="Line">The 1-based line.</param>
/// <param name="Excerpt">The text around it, the secret masked.</param>
/// <param name="Encoding">The encoding the file was read in when it was not UTF-8 (<c>UTF-16</c>); null for UTF-8.</param>
internal readonly record struct SecretFinding(int Line, string Excerpt, string? Encoding);
