using System.Text.RegularExpressions;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>The API server's defaulting and validation of what a client creates (a subset: what a wrong manifest trips).</summary>
internal static partial class ResourceValidation
{
    private const string SubdomainRule = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public static void ValidateName(ResourceInfo resource, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ApiError.Invalid(resource, "", [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
        }

        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw ApiError.Invalid(resource, name, [("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {SubdomainRule}")]);
        }
    }

    /// <summary>Defaults a new Job as the API server does and refuses what it would refuse.</summary>
    public static void PrepareJob(V1Job job)
    {
        var name = job.Metadata?.Name ?? job.Metadata?.GenerateName ?? "";
        var spec = job.Spec ?? throw ApiError.Invalid(ResourceInfo.Jobs, name, [("spec.template", "FieldValueRequired", "Required value")]);
        var causes = new List<(string, string, string)>();
        if (spec.Template?.Spec is not { } podSpec)
        {
            throw ApiError.Invalid(ResourceInfo.Jobs, name, [("spec.template.spec.containers", "FieldValueRequired", "Required value")]);
        }

        if (podSpec.RestartPolicy is not ("Never" or "OnFailure"))
        {
            causes.Add(podSpec.RestartPolicy is null
                ? ("spec.template.spec.restartPolicy", "FieldValueRequired", "Required value: valid values: \"OnFailure\", \"Never\"")
                : ("spec.template.spec.restartPolicy", "FieldValueNotSupported", $"Unsupported value: \"{podSpec.RestartPolicy}\": supported values: \"OnFailure\", \"Never\""));
        }

        if (spec.PodFailurePolicy is not null && podSpec.RestartPolicy != "Never")
        {
            causes.Add(("spec.template.spec.restartPolicy", "FieldValueInvalid", $"Invalid value: \"{podSpec.RestartPolicy}\": only \"Never\" is supported when podFailurePolicy is specified"));
        }

        if (spec.BackoffLimit is < 0)
        {
            causes.Add(("spec.backoffLimit", "FieldValueInvalid", $"Invalid value: {spec.BackoffLimit}: must be greater than or equal to 0"));
        }

        if (spec.ActiveDeadlineSeconds is <= 0)
        {
            causes.Add(("spec.activeDeadlineSeconds", "FieldValueInvalid", $"Invalid value: {spec.ActiveDeadlineSeconds}: must be greater than 0"));
        }

        if (spec.TtlSecondsAfterFinished is < 0)
        {
            causes.Add(("spec.ttlSecondsAfterFinished", "FieldValueInvalid", $"Invalid value: {spec.TtlSecondsAfterFinished}: must be greater than or equal to 0"));
        }

        causes.AddRange(PodSpecCauses("spec.template.spec", podSpec));
        if (causes.Count > 0)
        {
            throw ApiError.Invalid(ResourceInfo.Jobs, name, causes);
        }

        spec.BackoffLimit ??= 6;
        spec.Completions ??= 1;
        spec.Parallelism ??= 1;
        spec.CompletionMode ??= "NonIndexed";
        spec.Suspend ??= false;
        spec.ManualSelector = null;
        spec.PodReplacementPolicy ??= spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        DefaultPodSpec(podSpec);
    }

    /// <summary>Gives a new Job its selector and template labels once its uid is known.</summary>
    public static void LabelJob(V1Job job)
    {
        var uid = job.Metadata.Uid;
        job.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = uid } };
        var template = job.Spec.Template.Metadata ??= new V1ObjectMeta();
        template.Labels ??= new Dictionary<string, string>();
        template.Labels["batch.kubernetes.io/controller-uid"] = uid;
        template.Labels["batch.kubernetes.io/job-name"] = job.Metadata.Name;
        template.Labels["controller-uid"] = uid;
        template.Labels["job-name"] = job.Metadata.Name;
    }

    public static void PreparePod(V1Pod pod)
    {
        var name = pod.Metadata?.Name ?? pod.Metadata?.GenerateName ?? "";
        var causes = PodSpecCauses("spec", pod.Spec).ToList();
        if (causes.Count > 0)
        {
            throw ApiError.Invalid(ResourceInfo.Pods, name, causes);
        }

        pod.Spec!.RestartPolicy ??= "Always";
        DefaultPodSpec(pod.Spec);
        pod.Status = new V1PodStatus { Phase = "Pending", QosClass = "BestEffort" };
    }

    public static void PrepareSecret(V1Secret secret)
    {
        secret.Type ??= "Opaque";
        var bad = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).FirstOrDefault(k => !SecretKey().IsMatch(k));
        if (bad is not null)
        {
            throw ApiError.Invalid(ResourceInfo.Secrets, secret.Metadata?.Name ?? "", [($"data[{bad}]", "FieldValueInvalid", $"Invalid value: \"{bad}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'")]);
        }

        if (secret.StringData is { Count: > 0 })
        {
            secret.Data ??= new Dictionary<string, byte[]>();
            foreach (var (key, value) in secret.StringData)
            {
                secret.Data[key] = System.Text.Encoding.UTF8.GetBytes(value);
            }

            secret.StringData = null;
        }
    }

    private static IEnumerable<(string, string, string)> PodSpecCauses(string path, V1PodSpec? spec)
    {
        if (spec?.Containers is not { Count: > 0 } containers)
        {
            yield return ($"{path}.containers", "FieldValueRequired", "Required value");
            yield break;
        }

        for (var i = 0; i < containers.Count; i++)
        {
            if (string.IsNullOrEmpty(containers[i].Name))
            {
                yield return ($"{path}.containers[{i}].name", "FieldValueRequired", "Required value");
            }

            if (string.IsNullOrEmpty(containers[i].Image))
            {
                yield return ($"{path}.containers[{i}].image", "FieldValueRequired", "Required value");
            }

            foreach (var mount in containers[i].VolumeMounts ?? [])
            {
                if (spec.Volumes?.Any(v => v.Name == mount.Name) != true)
                {
                    yield return ($"{path}.containers[{i}].volumeMounts[0].name", "FieldValueNotFound", $"Not found: \"{mount.Name}\"");
                }
            }
        }
    }

    private static void DefaultPodSpec(V1PodSpec spec)
    {
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.DnsPolicy ??= "ClusterFirst";
        spec.SchedulerName ??= "default-scheduler";
        spec.SecurityContext ??= new V1PodSecurityContext();
        foreach (var container in spec.Containers)
        {
            container.TerminationMessagePath ??= "/dev/termination-log";
            container.TerminationMessagePolicy ??= "File";
            container.ImagePullPolicy ??= container.Image.EndsWith(":latest", StringComparison.Ordinal) || !container.Image.Contains(':', StringComparison.Ordinal) ? "Always" : "IfNotPresent";
            container.Resources ??= new V1ResourceRequirements();
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex SecretKey();
}
