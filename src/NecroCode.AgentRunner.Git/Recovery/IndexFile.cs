using System.Buffers.Binary;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Reads what the slot's recovery needs from a git index file (<c>.git/index</c>, formats 2–4) in process, without
/// starting git: whether any entry carries the <c>assume-unchanged</c> or <c>skip-worktree</c> flag, and whether the
/// index is complete in itself. The answer errs on the safe side: anything it does not fully understand (another
/// version, a split or sparse index, an entry or extension that does not add up to the file's length) counts as
/// "may be flagged" / "not self-contained", so the caller falls back to asking git.
/// </summary>
internal static class IndexFile
{
    private const int HashSize = 20;
    private const int StatSize = 40;
    private const ushort AssumeValid = 0x8000;
    private const ushort Extended = 0x4000;
    private const ushort NameMask = 0x0FFF;
    private const ushort SkipWorktree = 0x4000;

    /// <summary>Reads an index file.</summary>
    /// <param name="path">The index file.</param>
    /// <returns>What was found; <see cref="IndexSummary.Unknown"/> when the file cannot be read or parsed.</returns>
    public static IndexSummary Read(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return IndexSummary.Unknown;
        }
        catch (UnauthorizedAccessException)
        {
            return IndexSummary.Unknown;
        }

        return Parse(content);
    }

    /// <summary>Parses the content of an index file.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <returns>What was found; <see cref="IndexSummary.Unknown"/> when it does not parse exactly.</returns>
    internal static IndexSummary Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length < 12 + HashSize || !content[..4].SequenceEqual("DIRC"u8))
        {
            return IndexSummary.Unknown;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(content[4..]);
        var count = BinaryPrimitives.ReadUInt32BigEndian(content[8..]);
        if (version is < 2 or > 4)
        {
            return IndexSummary.Unknown;
        }

        var end = content.Length - HashSize;
        var position = 12;
        var flagged = false;
        for (var i = 0u; i < count; i++)
        {
            var header = StatSize + HashSize + 2;
            if (position + header > end)
            {
                return IndexSummary.Unknown;
            }

            var flags = BinaryPrimitives.ReadUInt16BigEndian(content[(position + StatSize + HashSize)..]);
            flagged |= (flags & AssumeValid) != 0;
            if ((flags & Extended) != 0)
            {
                if (version < 3 || position + header + 2 > end)
                {
                    return IndexSummary.Unknown;
                }

                flagged |= (BinaryPrimitives.ReadUInt16BigEndian(content[(position + header)..]) & SkipWorktree) != 0;
                header += 2;
            }

            var next = version == 4 ? SkipCompressedName(content, position + header, end) : SkipPaddedName(content, position, header, flags & NameMask, end);
            if (next < 0)
            {
                return IndexSummary.Unknown;
            }

            position = next;
        }

        var selfContained = true;
        while (position < end)
        {
            if (position + 8 > end)
            {
                return IndexSummary.Unknown;
            }

            var signature = content.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32BigEndian(content[(position + 4)..]);
            if (size > (uint)(end - position - 8))
            {
                return IndexSummary.Unknown;
            }

            // "link": the entries live partly in a shared index; "sdir": directories stand for many skipped entries.
            selfContained &= !signature.SequenceEqual("link"u8) && !signature.SequenceEqual("sdir"u8);
            position += 8 + (int)size;
        }

        return position == end ? new IndexSummary(Parsed: true, MayHaveFlags: flagged || !selfContained, SelfContained: selfContained) : IndexSummary.Unknown;
    }

    /// <summary>Formats 2 and 3: the name, its terminating NUL and padding to a multiple of 8 bytes of the entry.</summary>
    private static int SkipPaddedName(ReadOnlySpan<byte> content, int start, int header, int nameLength, int end)
    {
        var nameStart = start + header;
        if (nameLength == NameMask)
        {
            // The name is 4095 bytes or longer: its length is where the NUL is.
            var nul = content[nameStart..end].IndexOf((byte)0);
            if (nul < 0)
            {
                return -1;
            }

            nameLength = nul;
        }

        var entryLength = (header + nameLength + 8) & ~7;
        return start + entryLength <= end && content[nameStart + nameLength] == 0 ? start + entryLength : -1;
    }

    /// <summary>Format 4: a variable-length count of bytes taken from the previous name, then the rest of the name and a NUL.</summary>
    private static int SkipCompressedName(ReadOnlySpan<byte> content, int position, int end)
    {
        // git's varint: seven bits a byte, high bit set on all but the last (the value is what matters not here).
        while (position < end && (content[position] & 0x80) != 0)
        {
            position++;
        }

        if (position >= end)
        {
            return -1;
        }

        var nul = content[(position + 1)..end].IndexOf((byte)0);
        return nul < 0 ? -1 : position + 1 + nul + 1;
    }
}
