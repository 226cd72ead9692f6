using System.Text;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>Looks for every canary needle in files, git object stores and captured text.</summary>
internal sealed class CanaryScanner
{
    private readonly List<string> _findings = [];
    private readonly (string Canary, string Encoding, byte[] Needle)[] _needles =
        [.. Canaries.AllNeedles().Select(n => (n.Canary, n.Encoding, Encoding.UTF8.GetBytes(n.Needle)))];

    public IReadOnlyList<string> Findings => _findings;

    public int ScannedFiles { get; private set; }

    public void ScanFolder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                Scan(file, File.ReadAllBytes(file));
                ScannedFiles++;
            }
        }
    }

    /// <summary>Every object in the repository (loose and packed), decompressed.</summary>
    public async Task ScanGitObjectsAsync(string repository)
    {
        var output = await Shell.RunAsync("git", repository, ["cat-file", "--batch-all-objects", "--batch"]);
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"git cat-file in {repository} failed: {output.StandardError}");
        }

        Scan($"git objects of {repository}", Encoding.UTF8.GetBytes(output.StandardOutput));
    }

    public void ScanText(string source, string text) => Scan(source, Encoding.UTF8.GetBytes(text));

    private void Scan(string source, ReadOnlySpan<byte> content)
    {
        foreach (var (canary, encoding, needle) in _needles)
        {
            if (content.IndexOf(needle) >= 0)
            {
                _findings.Add($"{canary} ({encoding}) in {source}");
            }
        }
    }
}
