using System.Collections;
using System.Globalization;

namespace NecroCode.AgentRunner.Logging;

/// <summary>A record's structured state with string values masked, and its masked message.</summary>
internal sealed class MaskedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly KeyValuePair<string, object?>[] _pairs;

    private MaskedLogState(KeyValuePair<string, object?>[] pairs, string message)
    {
        _pairs = pairs;
        Message = message;
    }

    public string Message { get; }

    public int Count => _pairs.Length;

    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    public static MaskedLogState Create<TState>(TState state, string message, ISecretMasker masker) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? new MaskedLogState([.. pairs.Select(p => Mask(p, masker))], message)
            : new MaskedLogState([], message);

    public static bool TryMask(IEnumerable<KeyValuePair<string, object?>> pairs, ISecretMasker masker, string text, out MaskedLogState masked)
    {
        masked = new MaskedLogState([.. pairs.Select(p => Mask(p, masker))], masker.Apply(text));
        return true;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    private static KeyValuePair<string, object?> Mask(KeyValuePair<string, object?> pair, ISecretMasker masker)
    {
        if (pair.Key == OriginalFormat)
        {
            return pair;
        }

        return pair.Value switch
        {
            null => pair,
            string text => new(pair.Key, masker.Apply(text)),
            IEnumerable<string> texts => new(pair.Key, texts.Select(masker.Apply).ToArray()),
            _ when pair.Value.GetType().IsPrimitive || pair.Value is decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Enum => pair,
            IFormattable formattable => MaskIfChanged(pair, formattable.ToString(null, CultureInfo.InvariantCulture), masker),
            _ => MaskIfChanged(pair, pair.Value.ToString() ?? "", masker),
        };
    }

    private static KeyValuePair<string, object?> MaskIfChanged(KeyValuePair<string, object?> pair, string text, ISecretMasker masker)
    {
        var masked = masker.Apply(text);
        return ReferenceEquals(masked, text) ? pair : new(pair.Key, masked);
    }
}
