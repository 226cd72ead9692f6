using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// Turns a pod's container into an engine container: the image (present on the engine, never pulled), command and
/// args, env (values, <c>secretKeyRef</c>, <c>fieldRef</c>, <c>envFrom</c> secrets), working dir, user and group,
/// <c>runAsNonRoot</c>, read-only root, capabilities, no-new-privileges, memory and CPU limits, host networking.
/// </summary>
internal sealed partial class ContainerFactory(ClusterStore store, DockerClient docker, string instanceId, Uri apiServer)
{
    public const string ClusterLabel = "necrocode.fake-cluster";

    /// <summary>Throws <c>InvalidImageName</c> or <c>ErrImagePull</c> (as <see cref="KubeletError"/>) unless the engine has the image.</summary>
    public async Task<ImageInspectResponse> CheckImageAsync(string image, CancellationToken cancellationToken)
    {
        if (!ImageReference().IsMatch(image))
        {
            var message = $"Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format";
            throw new KubeletError("InvalidImageName", message, "InspectFailed", message);
        }

        try
        {
            return await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var message = $"rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found";
            throw new KubeletError("ErrImagePull", message, "Failed", $"Failed to pull image \"{image}\": {message}");
        }
    }

    public CreateContainerParameters Build(V1Pod pod, V1Container container, ImageInspectResponse image, PodVolumes volumes, int restartCount)
    {
        var security = container.SecurityContext;
        var podSecurity = pod.Spec.SecurityContext;
        var user = security?.RunAsUser ?? podSecurity?.RunAsUser;
        var group = security?.RunAsGroup ?? podSecurity?.RunAsGroup;
        var imageUser = image.Config?.User ?? "";
        if ((security?.RunAsNonRoot ?? podSecurity?.RunAsNonRoot) == true)
        {
            var where = $"(pod: \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\", container: {container.Name})";
            if (user == 0)
            {
                throw KubeletError.Config($"container's runAsUser breaks non-root policy {where}");
            }

            if (user is null && imageUser.Split(':')[0] is "" or "0" or "root")
            {
                throw KubeletError.Config($"container has runAsNonRoot and image will run as root {where}");
            }

            if (user is null && !int.TryParse(imageUser.Split(':')[0], CultureInfo.InvariantCulture, out _))
            {
                throw KubeletError.Config($"container has runAsNonRoot and image has non-numeric user ({imageUser}), cannot verify user is non-root {where}");
            }
        }

        var (mounts, tmpfs) = volumes.For(container, pod);
        var limits = container.Resources?.Limits;
        var memory = limits is not null && limits.TryGetValue("memory", out var m) ? m.ToInt64() : 0;
        var cpu = limits is not null && limits.TryGetValue("cpu", out var c) ? (long)(c.ToDecimal() * 1_000_000_000m) : 0;
        var userSpec = user is null && group is null ? null : $"{user?.ToString(CultureInfo.InvariantCulture) ?? (imageUser.Length > 0 ? imageUser.Split(':')[0] : "0")}{(group is null ? "" : ":" + group.Value.ToString(CultureInfo.InvariantCulture))}";
        return new CreateContainerParameters
        {
            Name = $"k8s_{container.Name}_{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}_{pod.Metadata.Uid}_{restartCount}",
            Image = container.Image,
            Entrypoint = container.Command is { Count: > 0 } command ? command : null,
            Cmd = container.Args is { Count: > 0 } args ? args : null,
            Env = [.. Environment(pod, container).Select(e => $"{e.Key}={e.Value}")],
            WorkingDir = container.WorkingDir ?? "",
            User = userSpec ?? "",
            Labels = new Dictionary<string, string>
            {
                [ClusterLabel] = instanceId,
                ["io.kubernetes.pod.name"] = pod.Metadata.Name,
                ["io.kubernetes.pod.namespace"] = pod.Metadata.NamespaceProperty,
                ["io.kubernetes.pod.uid"] = pod.Metadata.Uid,
                ["io.kubernetes.container.name"] = container.Name,
            },
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                Mounts = mounts,
                Tmpfs = tmpfs,
                Memory = memory,
                MemorySwap = memory,
                NanoCPUs = cpu,
                ReadonlyRootfs = security?.ReadOnlyRootFilesystem == true,
                CapDrop = security?.Capabilities?.Drop ?? [],
                CapAdd = security?.Capabilities?.Add ?? [],
                SecurityOpt = security?.AllowPrivilegeEscalation == false ? ["no-new-privileges"] : [],
                Privileged = security?.Privileged == true,
                GroupAdd = podSecurity?.FsGroup is { } fsGroup ? [fsGroup.ToString(CultureInfo.InvariantCulture)] : [],
            },
        };
    }

    private List<KeyValuePair<string, string>> Environment(V1Pod pod, V1Container container)
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new("KUBERNETES_SERVICE_HOST", apiServer.Host),
            new("KUBERNETES_SERVICE_PORT", apiServer.Port.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.SecretRef is { } reference)
            {
                var secret = store.Get<V1Secret>(ResourceInfo.Secrets, pod.Metadata.NamespaceProperty, reference.Name);
                if (secret is null && reference.Optional != true)
                {
                    throw KubeletError.Config($"secret \"{reference.Name}\" not found");
                }

                env.AddRange((secret?.Data ?? new Dictionary<string, byte[]>()).Select(d => new KeyValuePair<string, string>((source.Prefix ?? "") + d.Key, Encoding.UTF8.GetString(d.Value))));
            }
            else
            {
                throw KubeletError.Config("configmaps are not served by the fake cluster");
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? "", env),
                { SecretKeyRef: { } key } => SecretValue(pod, key),
                { FieldRef: { } field } => FieldValue(pod, field.FieldPath),
                _ => throw KubeletError.Config($"the env source of \"{variable.Name}\" is not served by the fake cluster"),
            };
            if (value is not null)
            {
                env.Add(new(variable.Name, value));
            }
        }

        return env;
    }

    private string? SecretValue(V1Pod pod, V1SecretKeySelector key)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var secret = store.Get<V1Secret>(ResourceInfo.Secrets, ns, key.Name);
        if (secret is null)
        {
            return key.Optional == true ? null : throw KubeletError.Config($"secret \"{key.Name}\" not found");
        }

        if (secret.Data?.TryGetValue(key.Key, out var bytes) != true)
        {
            return key.Optional == true ? null : throw KubeletError.Config($"couldn't find key {key.Key} in Secret {ns}/{key.Name}");
        }

        return Encoding.UTF8.GetString(bytes!);
    }

    private static string FieldValue(V1Pod pod, string path) => path switch
    {
        "metadata.name" => pod.Metadata.Name,
        "metadata.namespace" => pod.Metadata.NamespaceProperty,
        "metadata.uid" => pod.Metadata.Uid,
        "spec.nodeName" => pod.Spec.NodeName ?? "",
        "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "default",
        "status.podIP" or "status.hostIP" => "127.0.0.1",
        _ when FieldLabel().Match(path) is { Success: true } label => (pod.Metadata.Labels is { } labels && labels.TryGetValue(label.Groups[1].Value, out var l) ? l : ""),
        _ when FieldAnnotation().Match(path) is { Success: true } annotation => (pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(annotation.Groups[1].Value, out var a) ? a : ""),
        _ => throw KubeletError.Config($"unsupported fieldRef \"{path}\""),
    };

    private static string Expand(string value, List<KeyValuePair<string, string>> env) =>
        VariableReference().Replace(value, match => match.Value.StartsWith("$$", StringComparison.Ordinal)
            ? match.Value[1..]
            : env.LastOrDefault(e => e.Key == match.Groups[1].Value) is { Key: not null } found ? found.Value : match.Value);

    [GeneratedRegex(@"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex(@"^metadata\.labels\['([^']+)'\]$")]
    private static partial Regex FieldLabel();

    [GeneratedRegex(@"^metadata\.annotations\['([^']+)'\]$")]
    private static partial Regex FieldAnnotation();

    [GeneratedRegex(@"\$\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
