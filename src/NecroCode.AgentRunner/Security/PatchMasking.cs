using System.Text;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Masks a unified diff (<c>git diff --binary</c>) for storing, so that a patch without secrets stays exactly as
/// git wrote it and still applies with <c>git apply --index</c>: headers, hunk headers and added and removed lines
/// are masked in full (known secrets and token shapes); unchanged context lines and binary patch data only where
/// they hold a known secret value, so token-shaped text the repository already had is left alone. Masking wins:
/// a patch with a masked secret no longer applies.
/// </summary>
internal static class PatchMasking
{
    /// <summary>Masks <paramref name="patch"/>.</summary>
    /// <param name="patch">The patch.</param>
    /// <param name="masker">The masker.</param>
    /// <returns>The masked patch; the same instance when nothing was masked.</returns>
    public static string Mask(string patch, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(masker);
        Func<string, string> known = masker is SecretMasker secretMasker ? secretMasker.ApplyKnownValues : masker.Apply;
        StringBuilder? masked = null;
        var inHunk = false;
        var inBinary = false;
        var start = 0;
        while (start < patch.Length)
        {
            var end = patch.IndexOf('\n', start);
            end = end < 0 ? patch.Length : end + 1;
            var line = patch[start..end];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                inHunk = inBinary = false;
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                inHunk = true;
            }
            else if (line.StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                inBinary = true;
            }

            var result = (inHunk && line.StartsWith(' ')) || inBinary ? known(line) : masker.Apply(line);
            if (masked is null && !ReferenceEquals(result, line) && result != line)
            {
                masked = new StringBuilder(patch.Length).Append(patch, 0, start);
            }

            masked?.Append(result);
            start = end;
        }

        return masked?.ToString() ?? patch;
    }
}
