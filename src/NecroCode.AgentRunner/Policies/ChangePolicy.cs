using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Policies;

/// <summary>
/// Checks an agent's change before it is committed (push protection): no path or symlink
/// leading outside the workspace, only allowed paths, not too large, and no known secret or
/// well-known token shape added. Every violation is reported at once.
/// </summary>
/// <remarks>
/// Secrets are looked for in every changed path name, in the added lines of the patch, and in the whole content
/// of every added or changed file the patch shows no text lines for — binary files, text that is not UTF-8 —
/// read from the workspace (see <see cref="ContentSecretScanner"/>). Paths in violations are masked.
/// </remarks>
internal sealed class ChangePolicy
{
    private readonly ChangePolicyOptions _options;
    private readonly ISecretMasker _masker;
    private readonly IReadOnlyList<PathGlob> _allowed;
    private readonly ContentSecretScanner _scanner;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The guard rails.</param>
    /// <param name="masker">Recognises secrets and token shapes.</param>
    public ChangePolicy(IOptions<ChangePolicyOptions> options, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _allowed = [.. _options.AllowedPaths.Select(p => new PathGlob(p))];
        _scanner = new ContentSecretScanner(_masker);
    }

    /// <summary>Returns every violation of <paramref name="diff"/>; empty when the change may be committed.</summary>
    /// <param name="workspacePath">The workspace the diff was taken in.</param>
    /// <param name="diff">The change.</param>
    /// <returns>The violations, in path order.</returns>
    public IReadOnlyList<PolicyViolation> Check(string workspacePath, WorkspaceDiff diff)
    {
        ArgumentNullException.ThrowIfNull(workspacePath);
        ArgumentNullException.ThrowIfNull(diff);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspacePath));
        var violations = new List<PolicyViolation>();
        var shownAsText = _options.BlockSecrets ? PathsWithTextHunks(diff.Patch) : [];
        foreach (var change in diff.Changes)
        {
            var count = violations.Count;
            CheckPath(root, change, violations);
            if (_options.BlockSecrets && change.Kind != FileChangeKind.Deleted)
            {
                FindSecrets(root, change, violations, shownAsText);
            }

            for (var i = count; i < violations.Count; i++)
            {
                violations[i] = violations[i] with { Path = _masker.Apply(violations[i].Path) };
            }
        }

        if (_options.MaxDiffBytes is { } max && Encoding.UTF8.GetByteCount(diff.Patch) > max)
        {
            violations.Add(new PolicyViolation("", null, $"the diff is {Encoding.UTF8.GetByteCount(diff.Patch)} bytes, more than the allowed {max}."));
        }

        if (_options.BlockSecrets)
        {
            FindSecrets(diff.Patch, violations);
        }

        return violations;
    }

    private void CheckPath(string root, FileChange change, List<PolicyViolation> violations)
    {
        var path = change.Path;
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Any(s => s == "..") || path.Any(char.IsControl))
        {
            violations.Add(new PolicyViolation(Printable(path), null, "the path leads outside the workspace."));
            return;
        }

        if (_allowed.Count > 0 && !_allowed.Any(g => g.IsMatch(path)) && !(change.OldPath is { } old && _allowed.Any(g => g.IsMatch(old)) && change.Kind == FileChangeKind.Deleted))
        {
            violations.Add(new PolicyViolation(path, null, $"changes outside the allowed paths ({string.Join(", ", _allowed.Select(g => g.Pattern))})."));
        }

        if (change.Kind == FileChangeKind.Deleted)
        {
            return;
        }

        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!IsInside(root, full))
        {
            violations.Add(new PolicyViolation(path, null, "the path leads outside the workspace."));
            return;
        }

        var info = new FileInfo(full);
        if (info.LinkTarget is { } target)
        {
            var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(full)!, target));
            if (!IsInside(root, resolved))
            {
                violations.Add(new PolicyViolation(path, null, $"is a symlink to '{Printable(target)}', outside the workspace."));
            }
        }
    }

    /// <summary>
    /// Scans the path name and, when the patch shows no text lines for the file and it lies inside the workspace,
    /// the file's whole content.
    /// </summary>
    private void FindSecrets(string root, FileChange change, List<PolicyViolation> violations, HashSet<string> shownAsText)
    {
        var path = change.Path;
        var maskedPath = _masker.Apply(path);
        if (!ReferenceEquals(maskedPath, path) && maskedPath != path)
        {
            violations.Add(new PolicyViolation(maskedPath, null, "the file name holds a secret or token."));
        }

        var full = Path.GetFullPath(Path.Combine(root, path));
        if (shownAsText.Contains(path) || path.Length == 0 || Path.IsPathRooted(path) || !IsInside(root, full))
        {
            return;
        }

        IReadOnlyList<SecretFinding>? findings;
        try
        {
            findings = _scanner.ScanFile(full);
            if (findings is null)
            {
                return;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            violations.Add(new PolicyViolation(path, null, $"could not be read to look for secrets: {ex.Message}"));
            return;
        }

        foreach (var finding in findings)
        {
            var encoding = finding.Encoding is null ? "" : $" ({finding.Encoding})";
            violations.Add(new PolicyViolation(path, finding.Line, $"adds a secret or token{encoding}: {Printable(finding.Excerpt)}"));
        }

    }

    /// <summary>The new paths whose section of the patch has a text hunk: its added lines are all there is to check.</summary>
    private static HashSet<string> PathsWithTextHunks(string patch)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        string? file = null;
        var header = true;
        foreach (var raw in patch.Split('\n'))
        {
            if (raw.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                (file, header) = (null, true);
            }
            else if (header && raw.StartsWith("+++ ", StringComparison.Ordinal))
            {
                file = NewPath(raw);
            }
            else if (raw.StartsWith("@@ ", StringComparison.Ordinal))
            {
                header = false;
                if (file is not null)
                {
                    paths.Add(file);
                }
            }
        }

        return paths;
    }

    private static string? NewPath(string header) =>
        header == "+++ /dev/null" ? null : header[4..].StartsWith("b/", StringComparison.Ordinal) ? header[6..] : header[4..];

    /// <summary>Scans the added lines of the patch.</summary>
    private void FindSecrets(string patch, List<PolicyViolation> violations)
    {
        string? file = null;
        var line = 0;
        var header = true;
        foreach (var raw in patch.Split('\n'))
        {
            if (raw.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                header = true;
                continue;
            }

            if (header && raw.StartsWith("+++ ", StringComparison.Ordinal))
            {
                file = NewPath(raw);
                continue;
            }

            if (raw.StartsWith("@@ ", StringComparison.Ordinal))
            {
                header = false;
                line = NewStart(raw);
                continue;
            }

            if (!header && raw.StartsWith('+'))
            {
                var text = raw[1..];
                var masked = _masker.Apply(text);
                if (!ReferenceEquals(masked, text) && masked != text)
                {
                    violations.Add(new PolicyViolation(_masker.Apply(file ?? "?"), line, $"adds a secret or token: {Printable(masked.Trim())}"));
                }

                line++;
            }
            else if (raw.StartsWith(' '))
            {
                line++;
            }
        }
    }

    private static int NewStart(string hunkHeader)
    {
        var plus = hunkHeader.IndexOf(" +", StringComparison.Ordinal);
        if (plus < 0)
        {
            return 1;
        }

        var digits = new string(hunkHeader[(plus + 2)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 1;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Printable(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 120 ? clean[..120] + "…" : clean;
    }
}
