using Amazon.Runtime;
using Amazon.S3;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>The host with its artifacts in S3-compatible storage: the local server eng/services/s3.sh starts.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task Run_ArtifactStoreS3_SummaryNamesS3UrisAndTimeLimitedDownloadLinks()
    {
        var endpoint = Environment.GetEnvironmentVariable("NECROCODE_S3_TEST_ENDPOINT");
        if (string.IsNullOrEmpty(endpoint))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CI=true and NECROCODE_S3_TEST_ENDPOINT is not set: eng/test.sh starts the S3 test server with eng/services/s3.sh.");
            }

            Assert.Ignore("No S3 test server (NECROCODE_S3_TEST_ENDPOINT); start one with '. eng/services/s3.sh'.");
        }

        var bucket = "necrocode-cli-" + Guid.NewGuid().ToString("N")[..12];
        var config = new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), config);
        await client.PutBucketAsync(bucket);
        try
        {
            await RunAgainstBucketAsync(endpoint, bucket);
        }
        finally
        {
            foreach (var item in (await client.ListObjectsV2Async(new() { BucketName = bucket })).S3Objects ?? [])
            {
                await client.DeleteObjectAsync(bucket, item.Key);
            }

            await client.DeleteBucketAsync(bucket);
        }
    }

    private static async Task RunAgainstBucketAsync(string endpoint, string bucket)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var environment = new Dictionary<string, string?> { ["NECROCODE_S3_ACCESS_KEY"] = "S3RVER", ["NECROCODE_S3_SECRET_KEY"] = "S3RVER" };

        var output = await CliHost.RunAsync(sandbox.Root, environment, ["run", "--task", task, .. RunArguments(
            sandbox,
            agent,
            "--set", "NecroCode:Artifacts:Store=s3",
            "--set", $"NecroCode:Artifacts:S3:ServiceUrl={endpoint}",
            "--set", $"NecroCode:Artifacts:S3:Bucket={bucket}",
            "--set", "NecroCode:Artifacts:S3:DownloadLinkLifetime=00:10:00")]);

        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
        var lines = output.StandardOutput.Split('\n');
        var diffLine = Array.FindIndex(lines, l => l.TrimStart().StartsWith("diff.patch ", StringComparison.Ordinal));
        var link = lines.ElementAtOrDefault(diffLine + 1) ?? "";
        Assert.Multiple(() =>
        {
            Assert.That(lines.ElementAtOrDefault(diffLine), Does.Contain($"s3://{bucket}/calc/1/"), output.StandardOutput);
            Assert.That(link, Does.Contain("download until").And.Contain("http"), output.StandardOutput);
        });
        using var http = new HttpClient();
        var diff = await http.GetStringAsync(link[link.IndexOf("http", StringComparison.Ordinal)..].Trim());
        Assert.That(diff, Does.Contain("calc.sh"));
    }

    [Test]
    public async Task Run_UnknownArtifactStore_ExitCode2NamesTheSetting()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, .. RunArguments(sandbox, agent, "--set", "NecroCode:Artifacts:Store=ftp")]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("NecroCode:Artifacts:Store 'ftp' is not an artifact store; use file-system or s3."));
        });
    }
}
