using System.Globalization;
using System.Text;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Manifests;

/// <summary>
/// Builds one task's Secret (the task file and the secret files) and Job (one pod that runs
/// <c>necrocode-runner run --output jsonl</c>, restricted, never retried by Kubernetes) from the settings. Pure: the same
/// input gives the same manifests.
/// </summary>
internal static class TaskManifests
{
    private const string WorkspaceVolume = "workspace";
    private const string StateVolume = "state";
    private const string TmpVolume = "tmp";
    private const string TaskVolume = "task";
    private const string SecretsVolume = "secrets";

    /// <summary>The labels of the Job, its Secret and its pod.</summary>
    public static Dictionary<string, string> Labels(KubernetesOptions options, string jobName) => new(StringComparer.Ordinal)
    {
        [JobLabels.AppName] = "necrocode-runner",
        [JobLabels.ManagedBy] = "necrocode",
        [JobLabels.Runner] = options.RunnerId,
        [JobLabels.Job] = jobName,
    };

    /// <summary>The task's Secret: <c>task.json</c> and each secret file as <c>secret.&lt;name&gt;</c>.</summary>
    public static V1Secret Secret(KubernetesOptions options, TaskManifestInput input)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [JobLabels.TaskKey] = Encoding.UTF8.GetBytes(input.TaskJson) };
        foreach (var (name, value) in input.SecretFiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data[JobLabels.SecretKeyPrefix + name] = value;
        }

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = Metadata(options, input),
            Type = "Opaque",
            Immutable = true,
            Data = data,
        };
    }

    /// <summary>Makes the Job the owner of its Secret, so that deleting the Job deletes the Secret.</summary>
    public static void SetOwner(V1Secret secret, V1Job job)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(job);
        secret.Metadata.OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = "batch/v1",
                Kind = "Job",
                Name = job.Metadata.Name,
                Uid = job.Metadata.Uid,
                BlockOwnerDeletion = false,
                Controller = false,
            },
        ];
    }

    /// <summary>The task's Job.</summary>
    /// <exception cref="ArgumentException">The pod-spec patch does not leave a pod spec.</exception>
    public static V1Job Job(KubernetesOptions options, TaskManifestInput input)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = Metadata(options, input),
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                Completions = 1,
                Parallelism = 1,
                ActiveDeadlineSeconds = (long)Math.Ceiling(input.ActiveDeadline.TotalSeconds),
                TtlSecondsAfterFinished = options.TtlSecondsAfterFinished,
                PodFailurePolicy = new V1PodFailurePolicy
                {
                    Rules =
                    [
                        // A disruption (eviction, preemption, node drain) is not the run's failure: the Job makes a new pod.
                        new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] },
                        // The runner retries by itself; any exit code of its own ends the Job.
                        new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = JobLabels.Container, OperatorProperty = "NotIn", Values = [0] } },
                    ],
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(options, input.JobName), Annotations = Annotations(input) },
                    Spec = PodSpecPatch.Apply(PodSpec(options, input), options.PodSpecPatch),
                },
            },
        };
    }

    private static V1ObjectMeta Metadata(KubernetesOptions options, TaskManifestInput input) => new()
    {
        Name = input.JobName,
        NamespaceProperty = options.Namespace,
        Labels = Labels(options, input.JobName),
        Annotations = Annotations(input),
    };

    private static Dictionary<string, string> Annotations(TaskManifestInput input) => new(StringComparer.Ordinal)
    {
        [JobLabels.Task] = input.Task.ToString(),
        [JobLabels.Writer] = input.Writer,
        [JobLabels.Owner] = input.Owner,
    };

    private static V1PodSpec PodSpec(KubernetesOptions options, TaskManifestInput input) => new()
    {
        RestartPolicy = "Never",
        ServiceAccountName = options.ServiceAccountName,
        AutomountServiceAccountToken = options.AutomountServiceAccountToken,
        EnableServiceLinks = false,
        NodeSelector = options.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(options.NodeSelector, StringComparer.Ordinal),
        Tolerations = options.Tolerations.Count == 0 ? null : [.. options.Tolerations.Select(t => new V1Toleration { Effect = t.Effect, Key = t.Key, OperatorProperty = t.Operator, TolerationSeconds = t.TolerationSeconds, Value = t.Value })],
        ImagePullSecrets = options.ImagePullSecrets.Count == 0 ? null : [.. options.ImagePullSecrets.Select(name => new V1LocalObjectReference { Name = name })],
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = options.RunAsUser,
            RunAsGroup = options.RunAsUser,
            FsGroup = options.RunAsUser,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers = [Container(options, input)],
        Volumes = Volumes(options, input),
    };

    private static V1Container Container(KubernetesOptions options, TaskManifestInput input)
    {
        List<string> arguments = ["run", "--task", JobLabels.TaskFolder + "/" + JobLabels.TaskKey, "--output", "jsonl"];
        if (options.HealthPort > 0)
        {
            arguments.AddRange(["--health-port", options.HealthPort.ToString(CultureInfo.InvariantCulture), "--health-address", "*"]);
        }

        var mounts = new List<V1VolumeMount>
        {
            new() { Name = TaskVolume, MountPath = JobLabels.TaskFolder, ReadOnlyProperty = true },
            new() { Name = WorkspaceVolume, MountPath = JobLabels.SlotPath, SubPath = options.WorkspaceClaimName is null ? null : input.JobName },
            new() { Name = StateVolume, MountPath = JobLabels.StatePath },
            new() { Name = TmpVolume, MountPath = "/tmp" },
        };
        if (input.SecretFiles.Count > 0)
        {
            mounts.Add(new V1VolumeMount { Name = SecretsVolume, MountPath = Execution.Remote.RemoteSecretFolder.DefaultMountPath, ReadOnlyProperty = true });
        }

        return new V1Container
        {
            Name = JobLabels.Container,
            Image = options.Image,
            ImagePullPolicy = options.ImagePullPolicy,
            Command = ["necrocode-runner"],
            Args = arguments,
            WorkingDir = JobLabels.StatePath,
            Env = [.. input.Variables.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new V1EnvVar { Name = p.Key, Value = p.Value })],
            Resources = Resources(options),
            VolumeMounts = mounts,
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Privileged = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            LivenessProbe = Probe(options, "/healthz", failures: 3),
            ReadinessProbe = Probe(options, "/readyz", failures: 1),
        };
    }

    private static V1ResourceRequirements? Resources(KubernetesOptions options)
    {
        static Dictionary<string, ResourceQuantity>? Of(string? cpu, string? memory)
        {
            var quantities = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
            if (cpu is not null)
            {
                quantities["cpu"] = new ResourceQuantity(cpu);
            }

            if (memory is not null)
            {
                quantities["memory"] = new ResourceQuantity(memory);
            }

            return quantities.Count == 0 ? null : quantities;
        }

        var requests = Of(options.CpuRequest, options.MemoryRequest);
        var limits = Of(options.CpuLimit, options.MemoryLimit);
        return requests is null && limits is null ? null : new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    private static V1Probe? Probe(KubernetesOptions options, string path, int failures) => options.HealthPort == 0 ? null : new V1Probe
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = options.HealthPort },
        InitialDelaySeconds = 5,
        PeriodSeconds = 10,
        TimeoutSeconds = 5,
        FailureThreshold = failures,
    };

    private static List<V1Volume> Volumes(KubernetesOptions options, TaskManifestInput input)
    {
        var volumes = new List<V1Volume>
        {
            new()
            {
                Name = TaskVolume,
                Secret = new V1SecretVolumeSource { SecretName = input.JobName, DefaultMode = 292, Items = [new V1KeyToPath { Key = JobLabels.TaskKey, Path = JobLabels.TaskKey }] },
            },
            options.WorkspaceClaimName is { } claim
                ? new V1Volume { Name = WorkspaceVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }
                : new V1Volume { Name = WorkspaceVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = options.WorkspaceSizeLimit is { } size ? new ResourceQuantity(size) : null } },
            new() { Name = StateVolume, EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity(options.TmpSizeLimit) } },
        };
        if (input.SecretFiles.Count > 0)
        {
            volumes.Add(new V1Volume
            {
                Name = SecretsVolume,
                Secret = new V1SecretVolumeSource
                {
                    SecretName = input.JobName,
                    DefaultMode = 292,
                    Items = [.. input.SecretFiles.Keys.Order(StringComparer.Ordinal).Select(name => new V1KeyToPath { Key = JobLabels.SecretKeyPrefix + name, Path = name })],
                },
            });
        }

        return volumes;
    }
}
