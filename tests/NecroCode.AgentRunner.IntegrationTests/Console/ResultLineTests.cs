using System.Text.Json.Nodes;
using NecroCode.AgentRunner.Cli;

namespace NecroCode.AgentRunner.IntegrationTests.Console;

[TestFixture]
public sealed class ResultLineTests
{
    private static readonly Uri Diff = new("s3://artifacts/demo/1/runner-1/diff.patch");

    private static RunnerResult Result() => new()
    {
        TaskId = "1",
        SpecName = "demo",
        RunnerId = "runner-1",
        Outcome = RunOutcome.Succeeded,
        State = RunnerState.Completed,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(1),
        Artifacts = [new ArtifactRecord(ArtifactKind.Diff, "diff.patch", Diff, 3, "abc"), new ArtifactRecord(ArtifactKind.RunLog, "run-log.jsonl", null, 5, "def", "/tmp/run-log.jsonl", "down")],
    };

    [Test]
    public void Serialize_LinksGiven_ListsEachLinkedArtifactWithItsExpiry()
    {
        var link = new ArtifactDownloadLink(new Uri("https://s3.example.com/artifacts/demo/1/runner-1/diff.patch?X-Amz-Signature=x"), DateTimeOffset.UnixEpoch.AddHours(1));

        var line = JsonNode.Parse(ResultLine.Serialize(Result(), new Dictionary<Uri, ArtifactDownloadLink> { [Diff] = link }))!;

        var links = line["downloadLinks"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(links, Has.Count.EqualTo(1));
            Assert.That((string?)links[0]!["name"], Is.EqualTo("diff.patch"));
            Assert.That((string?)links[0]!["uri"], Is.EqualTo(link.Uri.AbsoluteUri));
            Assert.That((string?)links[0]!["expiresAt"], Is.EqualTo("1970-01-01T01:00:00.0000000+00:00"));
        });
    }

    [Test]
    public void Serialize_NoLinks_HasNoDownloadLinks() =>
        Assert.That(JsonNode.Parse(ResultLine.Serialize(Result()))!["downloadLinks"], Is.Null);
}
