using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Options;

[TestFixture]
public sealed class KubernetesOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new KubernetesOptionsValidator().Validate(null, new KubernetesOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    private static IEnumerable<TestCaseData> BadSettings()
    {
        yield return Case("Namespace", o => o.Namespace = "Runners_1", "'Runners_1' must be 1-63 lower-case letters");
        yield return Case("Image", o => o.Image = "runner image", "is not an image reference");
        yield return Case("ImagePullPolicy", o => o.ImagePullPolicy = "Sometimes", "must be Always, IfNotPresent or Never");
        yield return Case("ImagePullSecrets:0", o => o.ImagePullSecrets.Add("Bad Secret"), "must be a DNS subdomain name");
        yield return Case("ServiceAccountName", o => o.ServiceAccountName = "-runner", "must be a DNS subdomain name");
        yield return Case("RunnerId", o => o.RunnerId = "runner/1", "must be 1-63");
        yield return Case("NodeSelector", o => o.NodeSelector["bad key!"] = "x", "is not a label key");
        yield return Case("Tolerations:0:Operator", o => o.Tolerations.Add(new KubernetesToleration { Key = "k", Operator = "In" }), "must be Equal or Exists");
        yield return Case("Tolerations:0:Effect", o => o.Tolerations.Add(new KubernetesToleration { Key = "k", Value = "v", Effect = "NoRun" }), "must be NoSchedule");
        yield return Case("Tolerations:0:TolerationSeconds", o => o.Tolerations.Add(new KubernetesToleration { Key = "k", Value = "v", Effect = "NoSchedule", TolerationSeconds = 5 }), "applies only with the effect NoExecute");
        yield return Case("CpuLimit", o => o.CpuLimit = "two", "'two' is not a positive Kubernetes quantity");
        yield return Case("MemoryLimit", o => o.MemoryLimit = "2GB", "'2GB' is not a positive Kubernetes quantity");
        yield return Case("MemoryRequest", o => o.MemoryRequest = "4Gi", "is more than NecroCode:Kubernetes:MemoryLimit '2Gi'");
        yield return Case("CpuRequest", o => o.CpuRequest = "3", "is more than NecroCode:Kubernetes:CpuLimit '2'");
        yield return Case("WorkspaceSizeLimit", o => o.WorkspaceSizeLimit = "-1Gi", "is not a positive Kubernetes quantity");
        yield return Case("TmpSizeLimit", o => o.TmpSizeLimit = "0", "is not a positive Kubernetes quantity");
        yield return Case("RunAsUser", o => o.RunAsUser = 0, "must be a non-root user id");
        yield return Case("TtlSecondsAfterFinished", o => o.TtlSecondsAfterFinished = -1, "must be between 0 and 604800");
        yield return Case("DeadlineMargin", o => o.DeadlineMargin = TimeSpan.FromHours(2), "must be between");
        yield return Case("PendingTimeout", o => o.PendingTimeout = TimeSpan.Zero, "must be between");
        yield return Case("PollInterval", o => o.PollInterval = TimeSpan.FromMilliseconds(10), "must be between");
        yield return Case("HealthPort", o => o.HealthPort = 70000, "must be a port");
        yield return Case("Environment", o => o.Environment["1BAD"] = "x", "invalid variable name '1BAD'");
        yield return Case("Settings", o => o.Settings["a=b"] = "x", "invalid key 'a=b'");
        yield return Case("OriginUrl", o => o.OriginUrl = "not a url", "is not an absolute URL");
        yield return Case("SecretsPath", o => o.SecretsPath = "/no/such/folder", "is not a folder");
        yield return Case("PodSpecPatch", o => o.PodSpecPatch = "[1]", "must be a JSON object");
        yield return Case("PodSpecPatch", o => o.PodSpecPatch = "{", "is not JSON");
        yield return Case("InCluster", o => { o.InCluster = true; o.Context = "fake"; }, "excludes NecroCode:Kubernetes:KubeconfigPath");
        yield return Case("KubeconfigPath", o => o.KubeconfigPath = "/no/such/kubeconfig", "does not exist");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void Validate_BadSetting_FailsNamingTheSetting(string setting, Action<KubernetesOptions> change, string problem)
    {
        var options = new KubernetesOptions();
        change(options);

        var result = new KubernetesOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Some.StartsWith("NecroCode:Kubernetes:" + setting + " ").And.Contains(problem));
    }

    [TestCase("500m")]
    [TestCase("1.5")]
    [TestCase("2Gi")]
    [TestCase("128974848")]
    [TestCase("129e6")]
    [TestCase("123Mi")]
    public void IsQuantity_KubernetesQuantities_AreAccepted(string value)
    {
        Assert.That(KubernetesOptionsValidator.IsQuantity(value, out var amount) && amount > 0, Is.True);
    }

    [Test]
    public void UseKubernetes_BadSettings_FailAtStartNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseKubernetes(o => o.MemoryLimit = "lots");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<KubernetesOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("NecroCode:Kubernetes:MemoryLimit 'lots' is not a positive Kubernetes quantity"));
    }

    private static TestCaseData Case(string setting, Action<KubernetesOptions> change, string problem) =>
        new TestCaseData(setting, change, problem).SetArgDisplayNames(setting, problem);
}
