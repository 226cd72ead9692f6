namespace NecroCode.AgentRunner;

/// <summary>
/// Replaces secrets in text before it reaches any sink (R10.5): known secret values (and their
/// common encodings) and well-known token shapes.
/// </summary>
public interface ISecretMasker
{
    /// <summary>The text that replaces a secret.</summary>
    string Mask { get; }

    /// <summary>Adds a secret value to mask from now on.</summary>
    /// <param name="value">The secret.</param>
    void AddSecret(string value);

    /// <summary>Returns <paramref name="text"/> with every known secret replaced.</summary>
    /// <param name="text">Text that may hold secrets.</param>
    /// <returns>The masked text; the same instance when nothing was found.</returns>
    string Apply(string text);
}
