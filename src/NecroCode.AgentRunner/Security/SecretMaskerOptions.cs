using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Security;

/// <summary>Settings of the <see cref="SecretMasker"/>.</summary>
public sealed class SecretMaskerOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Masking</c>.</summary>
    public const string SectionName = "NecroCode:Masking";

    /// <summary>
    /// Secrets shorter than this many characters are not masked by value. Default 6.
    /// </summary>
    /// <remarks>
    /// Masking a very short value such as <c>a</c>, <c>42</c> or <c>true</c> would replace it everywhere it
    /// occurs by chance and destroy the logs, and the pattern of the replacements would itself reveal the
    /// value (every <c>***</c> stands where the secret letters used to be). Such secrets must still never be
    /// written by the runner; they are only not searched for in free text.
    /// </remarks>
    [Range(1, 4096)]
    public int MinimumSecretLength { get; set; } = 6;

    /// <summary>The text that replaces a secret. Default <c>***</c>.</summary>
    [Required]
    [MinLength(1)]
    public string Mask { get; set; } = "***";

    /// <summary>
    /// Also mask well-known token shapes (GitHub, GitLab, AWS access key ids, Slack, JWTs, PEM private keys,
    /// <c>sk-</c> API keys) even when they are not known secrets. Default true.
    /// </summary>
    public bool MaskTokenShapes { get; set; } = true;
}
