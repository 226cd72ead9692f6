namespace NecroCode.AgentRunner.TestUtilities;

/// <summary>
/// A masker for tests that need a predictable one: it replaces each secret it was given (at creation or through
/// <see cref="AddSecret"/>) by <c>***</c>, by plain ordinal replacement. Thread-safe.
/// </summary>
/// <param name="secrets">The secrets to mask from the start.</param>
public sealed class SecretMaskerStub(params string[] secrets) : ISecretMasker
{
    private readonly List<string> _secrets = [.. secrets];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public string Mask => "***";

    /// <summary>The secrets masked now.</summary>
    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_gate)
            {
                return [.. _secrets];
            }
        }
    }

    /// <inheritdoc />
    public void AddSecret(string value)
    {
        lock (_gate)
        {
            _secrets.Add(value);
        }
    }

    /// <inheritdoc />
    public void RemoveSecret(string value)
    {
        lock (_gate)
        {
            _secrets.Remove(value);
        }
    }

    /// <inheritdoc />
    public string Apply(string text) => Secrets.Where(s => s.Length > 0).Aggregate(text, (masked, secret) => masked.Replace(secret, Mask, StringComparison.Ordinal));
}
