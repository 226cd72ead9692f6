using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>Whole runs (the runner with fakes for everything but the store) against the S3 store.</summary>
[TestFixture(S3TestTarget.Local)]
[TestFixture(S3TestTarget.Real)]
public sealed class S3RunTests(string kind) : S3TargetFixture(kind)
{
    private const string Canary = "canary-6d2f9c41e8b7a3055f1d";
    [Test]
    public async Task Run_ChangeHoldsTheCanary_ArtifactsRecordedWithS3UrisAndNoObjectHoldsTheCanary()
    {
        using var folder = new TempFolder("necrocode-s3-run-");
        var fakes = new AgentRunnerFakes
        {
            Agent = new FakeCodingAgent(async (request, cancellationToken) =>
            {
                await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "settings.txt"), $"token={Canary}\n", cancellationToken);
                request.Events.Publish(new OutputLine(request.StepName, OutputSource.StandardOutput, $"using token {Canary}"));
                return new AgentResult(true, 0);
            }),
        };
        fakes.Slots.AddSlot("slot-1", folder.CreateFolder("slot-1"));
        await using var provider = Compose(folder, fakes, Target.Options(), Target.Credentials().With("s3-canary", Canary), ["s3-canary"]);

        var result = await provider.GetRequiredService<IAgentRunner>().RunAsync(Task("1"), CancellationToken.None);

        var objects = await Target.ReadAllAsync();
        var recorded = (await fakes.Registry.GetTaskAsync(new TaskKey("s3-demo", "1"), CancellationToken.None))!.Artifacts;
        Assert.Multiple(() =>
        {
            // The change policy refuses a change that holds a secret; its artifacts are stored all the same.
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
            Assert.That(result.Artifacts, Is.Not.Empty.And.All.Matches<ArtifactRecord>(a => a.Uri != null && a.Uri.Scheme == "s3" && a.Uri.Host == Target.Bucket));
            Assert.That(recorded.Select(a => a.Uri), Is.EquivalentTo(result.Artifacts.Select(a => a.Uri)));
            Assert.That(objects.Select(o => o.Key), Has.Some.EndsWith("/s3-demo/1/" + result.RunnerId + "/diff.patch"));
            Assert.That(objects.Select(o => o.Key), Has.Some.EndsWith("/s3-demo/1/" + result.RunnerId + "/run-log.jsonl"));
            Assert.That(objects.Where(o => Encoding.UTF8.GetString(o.Content).Contains(Canary, StringComparison.Ordinal)).Select(o => o.Key), Is.Empty, "objects holding the canary");
            Assert.That(Encoding.UTF8.GetString(objects.Single(o => o.Key.EndsWith("/diff.patch", StringComparison.Ordinal)).Content), Does.Contain("token=***"), "the diff holds the masked token");
        });
    }

    [Test]
    public async Task Run_ServerDown_ArtifactsKeptLocallyNamedInTheResultAndTheRunEndsWithItsOutcome()
    {
        using var folder = new TempFolder("necrocode-s3-down-");
        var fakes = new AgentRunnerFakes();
        fakes.Slots.AddSlot("slot-1", folder.CreateFolder("slot-1"));
        var endpoint = $"http://127.0.0.1:{StubS3Server.FreePort()}";
        var options = Target.Options(o => (o.ServiceUrl, o.MaxRetries) = (endpoint, 1));
        await using var provider = Compose(folder, fakes, options, Target.Credentials(), []);

        var result = await provider.GetRequiredService<IAgentRunner>().RunAsync(Task("2"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Artifacts.Select(a => a.Name), Does.Contain("diff.patch").And.Contain("run-log.jsonl"));
            foreach (var artifact in result.Artifacts)
            {
                Assert.That(artifact.Uri, Is.Null, artifact.Name);
                Assert.That(artifact.LocalPath, Does.Exist, artifact.Name);
                Assert.That(artifact.Error, Does.Contain($"s3://{Target.Bucket}/").And.Contain(artifact.Name).And.Contain(endpoint), artifact.Name);
                Assert.That(new FileInfo(artifact.LocalPath!).Length, Is.EqualTo(artifact.Size), artifact.Name);
            }
        });
    }

    private static TaskContext Task(string id) => new() { TaskId = id, SpecName = "s3-demo", Title = "Add a feature", TestCommands = ["true"] };

    private static ServiceProvider Compose(TempFolder folder, AgentRunnerFakes fakes, S3ArtifactStoreOptions store, ICredentialProvider credentials, IReadOnlyList<string> runSecrets)
    {
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.WorkDirectory = folder.Combine("work"))
            .UseFakes(fakes)
            .UseS3ArtifactStore(o =>
            {
                o.ServiceUrl = store.ServiceUrl;
                o.Region = store.Region;
                o.Bucket = store.Bucket;
                o.KeyPrefix = store.KeyPrefix;
                o.MaxRetries = store.MaxRetries;
                o.RetryDelay = store.RetryDelay;
            });
        services.Replace(ServiceDescriptor.Singleton(credentials));
        services.Configure<CredentialOptions>(o => o.Secrets.AddRange(runSecrets));
        return services.BuildServiceProvider();
    }
}
