using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Benchmarks.Masking;

/// <summary>
/// Shared chunk handling of the baselines: appends a chunk to the held-back tail, asks the derived class
/// for hits in the part that can be decided, masks them and keeps the last (longest pattern - 1) chars.
/// </summary>
internal abstract class StreamingBaseline
{
    private readonly List<(int Start, int End)> _hits = new(64);
    private char[] _buffer = new char[1 << 17];
    private char[] _output = new char[1 << 18];
    private int _count;

    protected StreamingBaseline(string mask, int maxPatternLength)
    {
        Mask = mask;
        MaxPatternLength = maxPatternLength;
    }

    protected string Mask { get; }

    protected int MaxPatternLength { get; }

    /// <summary>Masks a chunk; returns the number of characters written out.</summary>
    public int Write(ReadOnlySpan<char> chunk)
    {
        if (_count + chunk.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, (_count + chunk.Length) * 2);
        }

        chunk.CopyTo(_buffer.AsSpan(_count));
        _count += chunk.Length;
        return Process(final: false);
    }

    /// <summary>Masks what is held back; returns the number of characters written out.</summary>
    public int Flush() => Process(final: true);

    protected abstract void FindHits(ReadOnlySpan<char> text, int limit, bool final, List<(int Start, int End)> hits);

    private int Process(bool final)
    {
        var text = _buffer.AsSpan(0, _count);
        var limit = final ? _count : Math.Max(0, _count - (MaxPatternLength - 1));
        _hits.Clear();
        FindHits(text, limit, final, _hits);
        _hits.Sort();
        if (_output.Length < _count * 2)
        {
            _output = new char[_count * 2];
        }

        var written = 0;
        var cursor = 0;
        var regionEnd = 0;
        foreach (var (start, end) in _hits)
        {
            if (start < regionEnd)
            {
                regionEnd = Math.Max(regionEnd, end);
                continue;
            }

            text[cursor..start].CopyTo(_output.AsSpan(written));
            written += start - cursor;
            Mask.CopyTo(_output.AsSpan(written));
            written += Mask.Length;
            regionEnd = end;
            cursor = end;
        }

        var safe = Math.Min(_count, Math.Max(limit, regionEnd));
        if (cursor < safe)
        {
            text[cursor..safe].CopyTo(_output.AsSpan(written));
            written += safe - cursor;
        }

        text[safe..].CopyTo(_buffer);
        _count -= safe;
        return written;
    }

    /// <summary>Every variant of every secret, the way <see cref="SecretMasker"/> computes them.</summary>
    public static List<string> Variants(IEnumerable<string> secrets)
    {
        var variants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            SecretVariants.AddTo(secret, 6, variants);
        }

        return [.. variants];
    }
}
