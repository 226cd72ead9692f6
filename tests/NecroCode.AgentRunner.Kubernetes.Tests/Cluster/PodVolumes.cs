using System.Globalization;
using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// A pod's volumes on the node: a Secret as files (<c>items</c>, <c>defaultMode</c>, group <c>fsGroup</c>) bind-mounted
/// read-only, an <c>emptyDir</c> as a folder (mode 0777) or, with <c>medium: Memory</c>, a tmpfs of <c>sizeLimit</c>,
/// a <c>hostPath</c> as itself. Other volume types are refused as a mount failure.
/// </summary>
internal sealed class PodVolumes(ClusterStore store, string podDirectory)
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _memory = new(StringComparer.Ordinal);

    /// <summary>Writes every volume of the pod; throws <see cref="KubeletError"/> (FailedMount) when one cannot be set up.</summary>
    public void Prepare(V1Pod pod)
    {
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (_paths.ContainsKey(volume.Name) || _memory.ContainsKey(volume.Name))
            {
                continue;
            }

            var path = Path.Combine(podDirectory, "volumes", volume.Name);
            if (volume.Secret is { } secret)
            {
                WriteSecret(pod, volume.Name, secret, path);
                _paths[volume.Name] = path;
            }
            else if (volume.EmptyDir is { Medium: "Memory" } memory)
            {
                var size = memory.SizeLimit is { } limit ? ",size=" + limit.ToInt64().ToString(CultureInfo.InvariantCulture) : "";
                _memory[volume.Name] = "rw,nosuid,nodev,mode=1777" + size;
            }
            else if (volume.EmptyDir is not null)
            {
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
                _paths[volume.Name] = path;
            }
            else if (volume.HostPath is { } host)
            {
                _paths[volume.Name] = host.Path;
            }
            else
            {
                throw KubeletError.Mount(volume.Name, "this volume type is not served by the fake cluster (secret, emptyDir and hostPath are)");
            }
        }
    }

    /// <summary>The engine mounts and tmpfs entries of one container's <c>volumeMounts</c>.</summary>
    public (IList<Mount> Mounts, IDictionary<string, string> Tmpfs) For(V1Container container, V1Pod pod)
    {
        var mounts = new List<Mount>();
        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (_memory.TryGetValue(mount.Name, out var options))
            {
                tmpfs[mount.MountPath] = options;
                continue;
            }

            var volume = pod.Spec.Volumes.First(v => v.Name == mount.Name);
            var source = _paths[mount.Name];
            if (mount.SubPath is { Length: > 0 } sub)
            {
                source = Path.Combine(source, sub);
                if (volume.EmptyDir is not null && !Path.Exists(source))
                {
                    Directory.CreateDirectory(source);
                    File.SetUnixFileMode(source, (UnixFileMode)0x1FF);
                }
            }

            mounts.Add(new Mount { Type = "bind", Source = source, Target = mount.MountPath, ReadOnly = mount.ReadOnlyProperty == true || volume.Secret is not null });
        }

        return (mounts, tmpfs);
    }

    private void WriteSecret(V1Pod pod, string volume, V1SecretVolumeSource source, string path)
    {
        var secret = store.Get<V1Secret>(ResourceInfo.Secrets, pod.Metadata.NamespaceProperty, source.SecretName);
        if (secret is null && source.Optional != true)
        {
            throw KubeletError.Mount(volume, $"secret \"{source.SecretName}\" not found");
        }

        Directory.CreateDirectory(path);
        var data = secret?.Data ?? new Dictionary<string, byte[]>();
        var items = source.Items?.Select(i => (i.Key, i.Path, i.Mode)).ToList() ?? [.. data.Keys.Select(k => (k, k, (int?)null))];
        var group = pod.Spec.SecurityContext?.FsGroup;
        foreach (var (key, relative, mode) in items)
        {
            if (!data.TryGetValue(key, out var bytes))
            {
                if (source.Optional == true)
                {
                    continue;
                }

                throw KubeletError.Mount(volume, $"references non-existent secret key: {key}");
            }

            var file = Path.Combine(path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
            var bits = mode ?? source.DefaultMode ?? 420;
            if (group is { } gid)
            {
                bits |= 0x20;
                Chown(file, (int)gid);
            }

            File.SetUnixFileMode(file, (UnixFileMode)bits);
        }
    }

    private static void Chown(string file, int group)
    {
        using var process = System.Diagnostics.Process.Start("chgrp", [group.ToString(CultureInfo.InvariantCulture), file]);
        process.WaitForExit();
    }
}
