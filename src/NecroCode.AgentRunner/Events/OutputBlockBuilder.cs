namespace NecroCode.AgentRunner.Events;

/// <summary>Collects lines into an <see cref="OutputBlock"/>; reused from block to block by one output pump.</summary>
internal sealed class OutputBlockBuilder(int capacity = 1024)
{
    private readonly List<int> _ends = [];
    private char[] _text = new char[Math.Max(16, capacity)];
    private int _length;

    /// <summary>The number of lines collected since the last block was built.</summary>
    public int Count => _ends.Count;

    /// <summary>The characters collected since the last block was built (line feeds included).</summary>
    public int Length => _length;

    /// <summary>Adds one line (without a line feed).</summary>
    /// <param name="line">The line's text.</param>
    public void Add(ReadOnlySpan<char> line)
    {
        var needed = _length + line.Length + 1;
        if (needed > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(needed, _text.Length * 2));
        }

        line.CopyTo(_text.AsSpan(_length));
        _length += line.Length;
        _ends.Add(_length);
        _text[_length++] = '\n';
    }

    /// <summary>Builds a block of the lines collected so far and starts an empty one.</summary>
    /// <param name="step">The step whose process printed the lines.</param>
    /// <param name="source">The stream.</param>
    public OutputBlock Build(string step, OutputSource source)
    {
        var block = new OutputBlock(step, source, new string(_text, 0, _length), [.. _ends]);
        _ends.Clear();
        _length = 0;
        return block;
    }
}
