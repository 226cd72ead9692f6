using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner;

/// <summary>
/// The secrets of one run, by name (for example <c>git-token</c>, <c>kiro-api-key</c>), as a step hands them to the
/// provider that needs them: the workspace manager for git, the coding agent for its API key. Every value is already
/// registered with the run's <see cref="ISecretMasker"/>, and all of them are wiped when the run ends.
/// </summary>
public interface IRunSecrets
{
    /// <summary>The names of the secrets held.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The value of the secret called <paramref name="name"/>, as a string for an API that needs one.</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="value">The value; null when the secret is not held.</param>
    /// <returns>Whether the secret is held.</returns>
    /// <exception cref="ObjectDisposedException">The run has ended and its secrets were wiped.</exception>
    bool TryReveal(string name, [NotNullWhen(true)] out string? value);
}
