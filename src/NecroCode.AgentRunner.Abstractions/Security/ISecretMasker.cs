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

    /// <summary>
    /// Stops masking a value added with <see cref="AddSecret"/>, once as often as it was added (a value two runs
    /// share stays masked until both are done). The default does nothing: the value stays masked.
    /// </summary>
    /// <param name="value">The secret, as it was added.</param>
    void RemoveSecret(string value)
    {
    }

    /// <summary>Returns <paramref name="text"/> with every known secret replaced.</summary>
    /// <param name="text">Text that may hold secrets.</param>
    /// <returns>The masked text; the same instance when nothing was found.</returns>
    string Apply(string text);
}
