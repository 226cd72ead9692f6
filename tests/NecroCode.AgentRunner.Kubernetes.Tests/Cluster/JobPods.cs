using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>The pod the job controller creates from a Job's template.</summary>
internal static class JobPods
{
    public static V1Pod FromTemplate(V1Job job)
    {
        var template = KubeJson.Deserialize<V1PodTemplateSpec>(KubeJson.Serialize(job.Spec.Template));
        var name = job.Metadata.Name;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = (name.Length > 57 ? name[..57] : name) + "-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels ?? new Dictionary<string, string>(),
                Annotations = template.Metadata?.Annotations,
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = name, Uid = job.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
                ],
            },
            Spec = template.Spec,
        };
        ResourceValidation.PreparePod(pod);
        return pod;
    }
}
