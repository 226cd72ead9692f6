using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>Secrets by name, as a credential source hands them out; counts the look-ups.</summary>
internal sealed class TestCredentials(IReadOnlyDictionary<string, string> secrets) : ICredentialProvider
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>These secrets and one more.</summary>
    public TestCredentials With(string name, string value) => new(new Dictionary<string, string>(secrets) { [name] = value });

    public ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return ValueTask.FromResult(secrets.TryGetValue(name, out var value) ? new Secret(name, value) : null);
    }
}
