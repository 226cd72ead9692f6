using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner;

/// <summary>Well-known <see cref="IRunSecrets"/> instances.</summary>
public static class RunSecrets
{
    /// <summary>No secrets: what a request carries when its run has none.</summary>
    public static IRunSecrets None { get; } = new NoSecrets();

    private sealed class NoSecrets : IRunSecrets
    {
        public IReadOnlyCollection<string> Names => [];

        public bool TryReveal(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }
    }
}
