using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NecroCode.AgentRunner.Kubernetes.Manifests;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Manifests;

/// <summary>
/// The generated Secret and Job against the checked-in golden files (<c>Manifests/golden/*.json</c>); set
/// <c>NECROCODE_UPDATE_GOLDEN=1</c> to write them anew, then review the diff.
/// </summary>
[TestFixture]
public sealed class TaskManifestsTests
{
    private static readonly TaskKey Key = new("billing", "task-7");

    [Test]
    public void Secret_MatchesGoldenFile()
    {
        var secret = TaskManifests.Secret(Options(), Input());

        AssertGolden("secret.json", KubernetesJson.Serialize(secret));
    }

    [Test]
    public void Job_MatchesGoldenFile()
    {
        var job = TaskManifests.Job(Options(), Input());

        AssertGolden("job.json", KubernetesJson.Serialize(job));
    }

    [Test]
    public void Job_WithWorkspaceClaimAndNoHealthPort_MatchesGoldenFile()
    {
        var options = Options();
        options.WorkspaceClaimName = "necrocode-workspaces";
        options.HealthPort = 0;
        options.PodSpecPatch = null;

        AssertGolden("job-claim.json", KubernetesJson.Serialize(TaskManifests.Job(options, Input() with { SecretFiles = new Dictionary<string, byte[]>() })));
    }

    [TestCase("secret.json", typeof(V1Secret))]
    [TestCase("job.json", typeof(V1Job))]
    [TestCase("job-claim.json", typeof(V1Job))]
    public void GoldenFile_DeserialisesIntoTheOfficialModelWithNoUnknownField(string file, Type model)
    {
        var text = File.ReadAllText(GoldenPath(file));
        var original = JsonNode.Parse(text)!;

        // A field the model does not know is dropped on the way through it, so the round trip would differ.
        object typed = model == typeof(V1Secret) ? KubernetesJson.Deserialize<V1Secret>(text) : KubernetesJson.Deserialize<V1Job>(text);
        var roundTrip = JsonNode.Parse(KubernetesJson.Serialize(typed))!;

        Assert.That(JsonNode.DeepEquals(original, roundTrip), Is.True, $"{file} holds a field {model.Name} does not know:\n{roundTrip.ToJsonString(Indented)}");
    }

    [Test]
    public void Job_IsRestrictedAndNeverRetriedByKubernetes()
    {
        var job = TaskManifests.Job(Options(), Input());
        var pod = job.Spec.Template.Spec;
        var container = pod.Containers.Single();

        Assert.Multiple(() =>
        {
            Assert.That(pod.RestartPolicy, Is.EqualTo("Never"));
            Assert.That(job.Spec.BackoffLimit, Is.Zero);
            Assert.That(job.Spec.ActiveDeadlineSeconds, Is.EqualTo(31 * 60));
            Assert.That(job.Spec.PodFailurePolicy.Rules.Select(r => r.Action), Is.EqualTo(new[] { "Ignore", "FailJob" }));
            Assert.That(pod.AutomountServiceAccountToken, Is.False);
            Assert.That(pod.SecurityContext.RunAsNonRoot, Is.True);
            Assert.That(pod.SecurityContext.SeccompProfile.Type, Is.EqualTo("RuntimeDefault"));
            Assert.That(container.SecurityContext.AllowPrivilegeEscalation, Is.False);
            Assert.That(container.SecurityContext.ReadOnlyRootFilesystem, Is.True);
            Assert.That(container.SecurityContext.Capabilities.Drop, Is.EqualTo(new[] { "ALL" }));
            Assert.That(container.Env.Select(e => e.Value), Has.None.Contains("s3cr3t-token"), "a secret in a variable");
            Assert.That(container.Env.Select(e => e.ValueFrom), Has.All.Null, "a secret referenced from a variable");
            Assert.That(pod.PriorityClassName, Is.EqualTo("batch"), "the pod-spec patch");
        });
    }

    [Test]
    public void SetOwner_MakesTheJobOwnTheSecret()
    {
        var secret = TaskManifests.Secret(Options(), Input());
        var job = TaskManifests.Job(Options(), Input());
        job.Metadata.Uid = "6d1f2a40-0000-4000-8000-000000000001";

        TaskManifests.SetOwner(secret, job);

        Assert.That(secret.Metadata.OwnerReferences.Single(), Has.Property(nameof(V1OwnerReference.Uid)).EqualTo(job.Metadata.Uid).And.Property(nameof(V1OwnerReference.Kind)).EqualTo("Job"));
    }

    [Test]
    public void JobName_IsStableShortAndADnsLabel()
    {
        var name = JobName.For(new TaskKey("A Very_Long Spec Name With Spaces And More Words", "TASK/42 and a long tail"), "k8s-host");

        Assert.Multiple(() =>
        {
            Assert.That(name, Does.Match("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
            Assert.That(name, Has.Length.LessThanOrEqualTo(52));
            Assert.That(JobName.For(Key, "k8s-host"), Is.EqualTo(JobName.For(new TaskKey("billing", "task-7"), "k8s-host")));
            Assert.That(JobName.For(Key, "k8s-host"), Is.Not.EqualTo(JobName.For(Key, "k8s-other")));
        });
    }

    internal static KubernetesOptions Options()
    {
        var options = new KubernetesOptions
        {
            Namespace = "runners",
            Image = "registry.example/necrocode-runner:1.2.3",
            RunnerId = "k8s-host",
            ServiceAccountName = "necrocode-runner",
            ImagePullSecrets = ["registry-pull"],
            PodSpecPatch = """{"priorityClassName":"batch"}""",
        };
        options.NodeSelector["kubernetes.io/os"] = "linux";
        options.Tolerations.Add(new KubernetesToleration { Key = "dedicated", Value = "runners", Effect = "NoSchedule" });
        options.Environment["LANG"] = "C.UTF-8";
        return options;
    }

    internal static TaskManifestInput Input() => new(
        JobName.For(Key, "k8s-host"),
        Key,
        "k8s-host",
        "node-1/4242/638000000000000000",
        """{"taskId":"task-7","specName":"billing","slotPath":"/necrocode/work/repo"}""",
        new Dictionary<string, byte[]> { ["git-token"] = Encoding.UTF8.GetBytes("s3cr3t-token"), ["pg-connection"] = Encoding.UTF8.GetBytes("Host=db;Password=pw") },
        new Dictionary<string, string> { ["HOME"] = "/tmp", ["NecroCode__FileSystem__RootPath"] = "/necrocode/work/state", ["NecroCode__Registry__Kind"] = "postgresql" },
        TimeSpan.FromMinutes(31));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static void AssertGolden(string file, string json, [CallerFilePath] string source = "")
    {
        var actual = JsonNode.Parse(json)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var path = GoldenPath(file);
        if (Environment.GetEnvironmentVariable("NECROCODE_UPDATE_GOLDEN") == "1")
        {
            var target = Path.Combine(Path.GetDirectoryName(source)!, "golden", file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, actual);
            TestContext.Out.WriteLine($"{file} written to {target}.");
            path = target;
        }

        Assert.That(File.Exists(path), Is.True, $"No golden file {path}; run with NECROCODE_UPDATE_GOLDEN=1 to write it.");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path).ReplaceLineEndings("\n")), $"{file} differs from the golden file; if the change is meant, run with NECROCODE_UPDATE_GOLDEN=1 and review the diff.");
    }

    private static string GoldenPath(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Manifests", "golden", file);
}
