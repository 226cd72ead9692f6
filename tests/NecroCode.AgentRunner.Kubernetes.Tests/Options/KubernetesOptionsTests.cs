using NecroCode.AgentRunner.Kubernetes;

namespace NecroCode.AgentRunner.Kubernetes.Tests;

public sealed class KubernetesOptionsTests
{
    [Test]
    public void Defaults_name_the_section_the_host_binds()
    {
        var options = new KubernetesOptions();

        Assert.Multiple(() =>
        {
            Assert.That(KubernetesOptions.SectionName, Is.EqualTo("NecroCode:Kubernetes"));
            Assert.That(options.Namespace, Is.EqualTo("default"));
        });
    }
}
