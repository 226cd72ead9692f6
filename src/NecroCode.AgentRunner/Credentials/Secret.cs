using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// One secret value held in a pinned character buffer that is zeroed on <see cref="Dispose"/>. It never
/// shows its value by accident: <see cref="ToString"/> returns <c>***</c>, and the value is reached only
/// through <see cref="AsSpan"/> or <see cref="Reveal"/>.
/// </summary>
/// <remarks>
/// The buffer is allocated on the pinned object heap, so the garbage collector never leaves a moved copy
/// behind. A string returned by <see cref="Reveal"/> is immutable and cannot be wiped: call it only where an
/// API demands a string (the masker, a child process's environment) and keep the span elsewhere.
/// </remarks>
public sealed class Secret : IDisposable
{
    private readonly char[] _buffer;
    private readonly int _length;
    private bool _disposed;

    /// <summary>Copies <paramref name="value"/> into a new pinned buffer.</summary>
    /// <param name="name">The secret's name (e.g. <c>git-token</c>); never secret itself.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public Secret(string name, ReadOnlySpan<char> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _buffer = GC.AllocateArray<char>(Math.Max(value.Length, 1), pinned: true);
        value.CopyTo(_buffer);
        _length = value.Length;
    }

    /// <summary>The secret's name (e.g. <c>git-token</c>).</summary>
    public string Name { get; }

    /// <summary>The number of characters of the value.</summary>
    public int Length => _length;

    /// <summary>Whether the buffer was zeroed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>Decodes UTF-8 <paramref name="utf8"/> into a new secret; the caller clears its own bytes.</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="utf8">The value as UTF-8 bytes.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="DecoderFallbackException">The bytes are not valid UTF-8.</exception>
    public static Secret FromUtf8(string name, ReadOnlySpan<byte> utf8)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var chars = GC.AllocateArray<char>(Math.Max(encoding.GetMaxCharCount(utf8.Length), 1), pinned: true);
        try
        {
            var count = encoding.GetChars(utf8, chars);
            return new Secret(name, chars.AsSpan(0, count));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>The value, valid until <see cref="Dispose"/>.</summary>
    /// <returns>A view of the buffer.</returns>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public ReadOnlySpan<char> AsSpan()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _buffer.AsSpan(0, _length);
    }

    /// <summary>The value as a string, for APIs that need one (it cannot be wiped; see remarks of the type).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public string Reveal() => new(AsSpan());

    /// <summary>Returns <c>***</c>: a secret never prints its value.</summary>
    /// <returns><c>***</c>.</returns>
    public override string ToString() => "***";

    /// <summary>Zeroes the buffer; afterwards the value cannot be read.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            Volatile.Write(ref _disposed, true);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_buffer.AsSpan()));
        }
    }

    /// <summary>Whether every character of the buffer is zero (for tests of the wipe).</summary>
    internal bool IsZeroed() => !_buffer.AsSpan().ContainsAnyExcept('\0');
}
