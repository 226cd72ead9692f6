using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Docker.Tests;
using NecroCode.AgentRunner.Git.Tests;
using NecroCode.AgentRunner.Kubernetes.Tests.Cluster;
using Npgsql;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// Everything a run in Kubernetes mode touches, real: the cluster (the fake one, whose kubelet runs pods on the Docker engine
/// with the test image, or a real one named by <c>KUBECONFIG</c>), a bare origin served over smart HTTP behind a token, the
/// shared PostgreSQL registry (a schema of its own) and S3 store (a bucket of its own), the host's slot (a clone whose remote
/// is the HTTP origin) and the secret files. In CI (<c>CI=true</c>) a missing service fails; elsewhere the tests are ignored
/// with the reason. Pods reach the services at the addresses of <see cref="PodSide"/>, the host at its own.
/// </summary>
internal sealed class KubernetesSandbox : IAsyncDisposable
{
    public const string ImplementsSubtraction = """
        cat > /dev/null
        echo "agent: implementing subtraction"
        printf '#!/bin/sh\ncase "${3:-+}" in\n  -) echo $(( $1 - $2 ));;\n  *) echo $(( $1 + $2 ));;\nesac\n' > calc.sh
        mkdir -p tests
        printf '#!/bin/sh\n[ "$(sh calc.sh 5 3 -)" = 2 ]\n' > tests/sub.sh
        echo "agent: done"
        """;

    private const string Token = "tkn-kube-e2e-0c5e1f";
    private readonly List<ServiceProvider> _providers = [];

    private readonly Func<Task<TestCluster>> _startCluster;

    private KubernetesSandbox(string root, string connectionString, string endpoint, PodSide pods, Func<Task<TestCluster>> startCluster)
    {
        Root = root;
        ConnectionString = connectionString;
        S3Endpoint = endpoint;
        Pods = pods;
        _startCluster = startCluster;
    }

    public string Root { get; }

    public string ConnectionString { get; }

    public string S3Endpoint { get; }

    public string Image => Pods.Image;

    /// <summary>How the sandbox's pods reach what the host reaches at its own addresses.</summary>
    public PodSide Pods { get; }

    /// <summary>The namespace of the sandbox's Jobs.</summary>
    public string Namespace => Cluster.Namespace;

    public string Schema { get; } = "k8s_" + Guid.NewGuid().ToString("N")[..12];

    public string Bucket { get; } = "necrocode-k8s-" + Guid.NewGuid().ToString("N")[..12];

    public string Origin => Path.Combine(Root, "origin.git");

    public string Slot => Path.Combine(Root, "slot");

    public string SecretsPath => Path.Combine(Root, "secrets");

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The fake cluster, for the faults only it can inject.</summary>
    public FakeKubernetesCluster Fake => (Cluster as FakeTestCluster)?.Fake ?? throw new InvalidOperationException("The sandbox runs on a real cluster.");

    public GitHttpServer Server { get; private set; } = null!;

    /// <summary>A sandbox on the fake cluster of this process, with the locally built test image.</summary>
    public static async Task<KubernetesSandbox> StartAsync()
    {
        var connection = Require("NECROCODE_POSTGRES_TEST", "a PostgreSQL test server (source eng/services/postgres.sh)");
        var endpoint = Require("NECROCODE_S3_TEST_ENDPOINT", "an S3 test server (. eng/services/s3.sh)");
        var image = await DockerTestEngine.RequireImageAsync();
        var pods = new PodSide(image, "IfNotPresent", HostAddress: null, connection, endpoint);
        return await StartAsync(connection, endpoint, pods, async () => await FakeTestCluster.StartAsync());
    }

    /// <summary>A sandbox on a real cluster, whose pods reach the services as <paramref name="pods"/> says.</summary>
    public static async Task<KubernetesSandbox> StartAsync(string connectionString, string s3Endpoint, PodSide pods, Func<Task<TestCluster>> startCluster)
    {
        var sandbox = new KubernetesSandbox(Directory.CreateTempSubdirectory("necrocode-k8s-").FullName, connectionString, s3Endpoint, pods, startCluster);
        try
        {
            await sandbox.SetUpAsync();
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Requires a service's address from the environment: fails in CI, ignores the test elsewhere.</summary>
    public static string Require(string variable, string what)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true and {variable} is not set: eng/test.sh starts {what}.");
        }

        Assert.Ignore($"No {what}: {variable} is not set.");
        return "";
    }

    public TaskContext Task(string id = "1") => new()
    {
        TaskId = id,
        SpecName = "calc",
        Title = "Add subtraction",
        Description = "calc.sh takes an operator as third argument.",
        SlotPath = Slot,
        TestCommands = ["sh test.sh"],
        Timeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>A host composed as an application would: Git, PostgreSQL, S3 and Kubernetes mode.</summary>
    public ServiceProvider Host(string agentScript, Action<KubernetesOptions>? configure = null, bool kubernetes = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<CredentialOptions>(o => { o.SecretDirectory = SecretsPath; o.OptionalSecrets.Add("git-token"); });
        var runner = services.AddAgentRunner()
            .UseGit(o => o.TokenVariable = "NECROCODE_TEST_UNSET_" + Guid.NewGuid().ToString("N"))
            .UsePostgreSql(o => { o.ConnectionString = ConnectionString; o.Schema = Schema; })
            .UseS3ArtifactStore(o => { o.ServiceUrl = S3Endpoint; o.Bucket = Bucket; o.ForcePathStyle = true; });
        if (kubernetes)
        {
            runner.UseKubernetes(o =>
            {
                Configure(o, agentScript);
                configure?.Invoke(o);
            });
        }
        else
        {
            services.Configure<Agents.CommandAgentOptions>(o =>
            {
                o.Command = "sh";
                o.Arguments.Clear();
                o.Arguments.Add("-c");
                o.Arguments.Add(agentScript);
            });
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    public void Configure(KubernetesOptions options, string agentScript)
    {
        options.KubeconfigPath = Cluster.KubeconfigPath;
        options.Context = Cluster.Context;
        options.Namespace = Cluster.Namespace;
        options.Image = Image;
        options.ImagePullPolicy = Pods.PullPolicy;
        options.RunnerId = "k8s-test-" + Guid.NewGuid().ToString("N")[..8];
        options.SecretsPath = SecretsPath;
        options.HealthPort = 0;
        options.CpuRequest = "100m";
        options.CpuLimit = "1";
        options.MemoryRequest = "256Mi";
        options.MemoryLimit = "1Gi";
        options.PendingTimeout = TimeSpan.FromSeconds(20);
        options.PollInterval = TimeSpan.FromSeconds(5);
        options.RunAsUser = 1000;
        var settings = options.Settings;
        settings["NecroCode:Agent:Command"] = "sh";
        settings["NecroCode:Agent:Arguments:0"] = "-c";
        settings["NecroCode:Agent:Arguments:1"] = agentScript;
        settings["NecroCode:Registry:Kind"] = "postgresql";
        settings["NecroCode:PostgreSql:ConnectionStringSecret"] = "postgres-connection";
        settings["NecroCode:PostgreSql:Schema"] = Schema;
        settings["NecroCode:Artifacts:Store"] = "s3";
        settings["NecroCode:Artifacts:S3:ServiceUrl"] = Pods.S3Endpoint;
        settings["NecroCode:Artifacts:S3:Bucket"] = Bucket;
        settings["NecroCode:Artifacts:S3:ForcePathStyle"] = "true";
    }

    public static async Task<string> GitAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (await stdout).Trim() : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await DropAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Files the pods wrote as another user; the OS temp cleaner takes them.
        }
    }

    private async Task SetUpAsync()
    {
        var seed = Path.Combine(Root, "seed");
        await GitAsync(Root, "init", "--quiet", "--bare", "--initial-branch=main", Origin);
        await GitAsync(Root, "init", "--quiet", "--initial-branch=main", seed);
        File.WriteAllText(Path.Combine(seed, "calc.sh"), "#!/bin/sh\necho $(( $1 + $2 ))\n");
        File.WriteAllText(Path.Combine(seed, "test.sh"), "#!/bin/sh\nset -e\n[ \"$(sh calc.sh 2 3)\" = 5 ]\nfor t in tests/*.sh; do [ -e \"$t\" ] || continue; sh \"$t\"; done\necho all tests passed\n");
        await GitAsync(seed, "add", "--all");
        await GitAsync(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "Initial calc");
        await GitAsync(seed, "push", "--quiet", Origin, "main");
        Directory.Delete(seed, recursive: true);
        await GitAsync(Root, "clone", "--quiet", Origin, Slot);
        Server = await GitHttpServer.StartAsync(Root, "x-access-token", Token, Pods.HostAddress);
        await GitAsync(Slot, "remote", "set-url", "origin", Server.UrlOf("origin.git"));
        Directory.CreateDirectory(SecretsPath);
        File.WriteAllText(Path.Combine(SecretsPath, "git-token"), Token + "\n");
        File.WriteAllText(Path.Combine(SecretsPath, "s3-access-key"), "S3RVER");
        File.WriteAllText(Path.Combine(SecretsPath, "s3-secret-key"), "S3RVER");
        File.WriteAllText(Path.Combine(SecretsPath, "postgres-connection"), Pods.ConnectionString);
        using (var s3 = S3Client())
        {
            await s3.PutBucketAsync(Bucket);
        }

        Cluster = await _startCluster();
    }

    private AmazonS3Client S3Client() =>
        new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config { ServiceURL = S3Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private async Task DropAsync()
    {
        try
        {
            await using var source = NpgsqlDataSource.Create(ConnectionString);
            await using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
            await command.ExecuteNonQueryAsync();
            using var s3 = S3Client();
            foreach (var item in (await s3.ListObjectsV2Async(new() { BucketName = Bucket })).S3Objects ?? [])
            {
                await s3.DeleteObjectAsync(Bucket, item.Key);
            }

            await s3.DeleteBucketAsync(Bucket);
        }
        catch (Exception ex) when (ex is NpgsqlException or AmazonS3Exception)
        {
            // Left to the services' own cleanup.
        }
    }
}
