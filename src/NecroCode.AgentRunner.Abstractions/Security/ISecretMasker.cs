namespace NecroCode.AgentRunner;

/// <summary>
/// Replaces secrets in text before it reaches any sink: known secret values (and their
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

    /// <summary>
    /// How many characters past a cut a reader that masks text piece by piece (an output line too long to keep
    /// whole) reads ahead before it cuts, so that <see cref="FindCut"/> sees whole any secret that starts before the
    /// cut: the length of the longest text this masker replaces, minus one. The default, 0, reads nothing ahead.
    /// </summary>
    int CutLookahead => 0;

    /// <summary>
    /// Where text that is masked piece by piece may be cut so that no secret this masker replaces is split by the
    /// cut (a split secret would pass unmasked, half in each piece): <paramref name="limit"/>, or earlier, where a
    /// secret that would cross it begins. The default cuts at <paramref name="limit"/>: a masker that replaces
    /// values longer than one character overrides it (and <see cref="CutLookahead"/>) to stay safe on long lines.
    /// </summary>
    /// <param name="text">The text read so far: the piece and up to <see cref="CutLookahead"/> characters after it.</param>
    /// <param name="limit">The longest piece allowed (at most the length of <paramref name="text"/>).</param>
    /// <param name="textEnds">Whether <paramref name="text"/> ends where the whole text ends (nothing more follows).</param>
    /// <returns>The length of the piece to cut off, from 1 to <paramref name="limit"/>.</returns>
    int FindCut(ReadOnlySpan<char> text, int limit, bool textEnds) => limit;

    /// <summary>Returns <paramref name="text"/> with every known secret replaced.</summary>
    /// <param name="text">Text that may hold secrets.</param>
    /// <returns>The masked text; the same instance when nothing was found.</returns>
    string Apply(string text);
}
