namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// The time-limited download links of the stored artifacts of some runs, by artifact URI, when the artifact store
/// makes them (<see cref="IArtifactDownloadLinks"/>; for S3, when <c>NecroCode:Artifacts:S3:DownloadLinkLifetime</c> is set).
/// </summary>
internal static class ArtifactLinks
{
    public static async Task<IReadOnlyDictionary<Uri, ArtifactDownloadLink>> CreateAsync(IArtifactStore store, IEnumerable<RunnerResult> results, TextWriter errors, CancellationToken cancellationToken)
    {
        var links = new Dictionary<Uri, ArtifactDownloadLink>();
        if (store is not IArtifactDownloadLinks maker)
        {
            return links;
        }

        foreach (var uri in results.SelectMany(r => r.Artifacts).Select(a => a.Uri).OfType<Uri>().Distinct())
        {
            try
            {
                if (await maker.CreateDownloadLinkAsync(uri, cancellationToken).ConfigureAwait(false) is not { } link)
                {
                    break;
                }

                links[uri] = link;
            }
            catch (ArtifactStoreException ex)
            {
                await errors.WriteLineAsync($"No download link for {uri}: {ex.Message}").ConfigureAwait(false);
            }
        }

        return links;
    }
}
