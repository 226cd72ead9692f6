using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner.TestUtilities;

/// <summary>The secrets of a run as the tests hand them to a component: fixed names and values, revealed on request.</summary>
public sealed class RunSecretsStub : IRunSecrets
{
    private readonly (string Name, string Value)[] _secrets;

    /// <summary>One secret.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value.</param>
    public RunSecretsStub(string name, string value)
        : this((name, value))
    {
    }

    /// <summary>Secrets by name.</summary>
    /// <param name="secrets">The names and values.</param>
    public RunSecretsStub(IReadOnlyDictionary<string, string> secrets)
        : this([.. secrets.Select(s => (s.Key, s.Value))])
    {
    }

    /// <summary>Secrets in the given order.</summary>
    /// <param name="secrets">The names and values.</param>
    public RunSecretsStub(params (string Name, string Value)[] secrets) => _secrets = secrets;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => [.. _secrets.Select(s => s.Name)];

    /// <inheritdoc />
    public bool TryReveal(string name, [NotNullWhen(true)] out string? value)
    {
        value = _secrets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal)).Value;
        return value is not null;
    }
}
