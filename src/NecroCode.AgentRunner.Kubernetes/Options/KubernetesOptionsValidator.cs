using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>Checks <see cref="KubernetesOptions"/> at start; every message names the setting (<c>NecroCode:Kubernetes:&lt;Setting&gt;</c>).</summary>
internal sealed partial class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    private const string Prefix = KubernetesOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string setting, string problem) => failures.Add(Prefix + setting + " " + problem);

        Name(options.Namespace, nameof(options.Namespace), label: true, Fail);
        Name(options.RunnerId, nameof(options.RunnerId), label: true, Fail, allowUpper: true);
        if (string.IsNullOrWhiteSpace(options.Image) || options.Image.Any(char.IsWhiteSpace))
        {
            Fail(nameof(options.Image), $"'{options.Image}' is not an image reference.");
        }

        if (options.ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
        {
            Fail(nameof(options.ImagePullPolicy), $"'{options.ImagePullPolicy}' must be Always, IfNotPresent or Never.");
        }

        for (var i = 0; i < options.ImagePullSecrets.Count; i++)
        {
            Name(options.ImagePullSecrets[i], $"{nameof(options.ImagePullSecrets)}:{i}", label: false, Fail);
        }

        if (options.ServiceAccountName is { } account)
        {
            Name(account, nameof(options.ServiceAccountName), label: false, Fail);
        }

        if (options.WorkspaceClaimName is { } claim)
        {
            Name(claim, nameof(options.WorkspaceClaimName), label: false, Fail);
        }

        foreach (var key in options.NodeSelector.Keys.Where(k => !LabelKey().IsMatch(k)))
        {
            Fail(nameof(options.NodeSelector), $"has '{key}', which is not a label key.");
        }

        for (var i = 0; i < options.Tolerations.Count; i++)
        {
            CheckToleration(options.Tolerations[i], $"{nameof(options.Tolerations)}:{i}", Fail);
        }

        CheckResources(options, Fail);
        CheckRanges(options, Fail);
        foreach (var key in options.Environment.Keys.Where(k => !EnvironmentName().IsMatch(k)))
        {
            Fail(nameof(options.Environment), $"has an invalid variable name '{key}'.");
        }

        foreach (var key in options.Settings.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            Fail(nameof(options.Settings), $"has an invalid key '{key}'.");
        }

        if (options.OriginUrl is { } origin && !Uri.TryCreate(origin, UriKind.Absolute, out _))
        {
            Fail(nameof(options.OriginUrl), $"'{origin}' is not an absolute URL.");
        }

        if (options.SecretsPath is { Length: > 0 } secrets && !Directory.Exists(secrets))
        {
            Fail(nameof(options.SecretsPath), $"'{secrets}' is not a folder.");
        }

        CheckPatch(options.PodSpecPatch, Fail);
        CheckConnection(options, Fail);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="value"/> is a Kubernetes quantity (e.g. <c>500m</c>, <c>2Gi</c>).</summary>
    internal static bool IsQuantity(string value, out decimal amount)
    {
        amount = 0;
        if (!Quantity().IsMatch(value))
        {
            return false;
        }

        try
        {
            amount = new ResourceQuantity(value).ToDecimal();
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static void CheckResources(KubernetesOptions options, Action<string, string> fail)
    {
        decimal? Parse(string? value, string setting)
        {
            if (value is null)
            {
                return null;
            }

            if (!IsQuantity(value, out var amount) || amount <= 0)
            {
                fail(setting, $"'{value}' is not a positive Kubernetes quantity (e.g. 500m, 2Gi).");
                return null;
            }

            return amount;
        }

        var cpuRequest = Parse(options.CpuRequest, nameof(options.CpuRequest));
        var cpuLimit = Parse(options.CpuLimit, nameof(options.CpuLimit));
        var memoryRequest = Parse(options.MemoryRequest, nameof(options.MemoryRequest));
        var memoryLimit = Parse(options.MemoryLimit, nameof(options.MemoryLimit));
        Parse(options.WorkspaceSizeLimit, nameof(options.WorkspaceSizeLimit));
        if (options.TmpSizeLimit is null)
        {
            fail(nameof(options.TmpSizeLimit), "is required.");
        }
        else
        {
            Parse(options.TmpSizeLimit, nameof(options.TmpSizeLimit));
        }

        if (cpuRequest > cpuLimit)
        {
            fail(nameof(options.CpuRequest), $"'{options.CpuRequest}' is more than NecroCode:Kubernetes:CpuLimit '{options.CpuLimit}'.");
        }

        if (memoryRequest > memoryLimit)
        {
            fail(nameof(options.MemoryRequest), $"'{options.MemoryRequest}' is more than NecroCode:Kubernetes:MemoryLimit '{options.MemoryLimit}'.");
        }
    }

    private static void CheckRanges(KubernetesOptions options, Action<string, string> fail)
    {
        if (options.RunAsUser < 1)
        {
            fail(nameof(options.RunAsUser), $"{options.RunAsUser} must be a non-root user id (1 or more).");
        }

        if (options.TtlSecondsAfterFinished is < 0 or > 7 * 24 * 3600)
        {
            fail(nameof(options.TtlSecondsAfterFinished), $"{options.TtlSecondsAfterFinished} must be between 0 and 604800.");
        }

        if (options.DeadlineMargin < TimeSpan.Zero || options.DeadlineMargin > TimeSpan.FromHours(1))
        {
            fail(nameof(options.DeadlineMargin), $"{options.DeadlineMargin} must be between 00:00:00 and 01:00:00.");
        }

        if (options.PendingTimeout < TimeSpan.FromSeconds(1) || options.PendingTimeout > TimeSpan.FromDays(1))
        {
            fail(nameof(options.PendingTimeout), $"{options.PendingTimeout} must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
        {
            fail(nameof(options.PollInterval), $"{options.PollInterval} must be between 00:00:00.100 and 01:00:00.");
        }

        if (options.HealthPort is < 0 or > 65535)
        {
            fail(nameof(options.HealthPort), $"{options.HealthPort} must be a port (1-65535) or 0 for none.");
        }
    }

    private static void CheckToleration(KubernetesToleration toleration, string setting, Action<string, string> fail)
    {
        if (toleration.Operator is not ("Equal" or "Exists"))
        {
            fail(setting + ":Operator", $"'{toleration.Operator}' must be Equal or Exists.");
        }
        else if (toleration.Operator == "Exists" && !string.IsNullOrEmpty(toleration.Value))
        {
            fail(setting + ":Value", "must be empty with the operator Exists.");
        }
        else if (toleration.Operator == "Equal" && string.IsNullOrEmpty(toleration.Key))
        {
            fail(setting + ":Key", "is required with the operator Equal.");
        }

        if (toleration.Key is { Length: > 0 } key && !LabelKey().IsMatch(key))
        {
            fail(setting + ":Key", $"'{key}' is not a taint key.");
        }

        if (toleration.Effect is not (null or "NoSchedule" or "PreferNoSchedule" or "NoExecute"))
        {
            fail(setting + ":Effect", $"'{toleration.Effect}' must be NoSchedule, PreferNoSchedule or NoExecute (or empty for all).");
        }

        if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
        {
            fail(setting + ":TolerationSeconds", "applies only with the effect NoExecute.");
        }
    }

    private static void CheckPatch(string? patch, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(patch))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(patch);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                fail(nameof(KubernetesOptions.PodSpecPatch), "must be a JSON object (a merge patch of the pod spec).");
            }
        }
        catch (JsonException ex)
        {
            fail(nameof(KubernetesOptions.PodSpecPatch), $"is not JSON: {ex.Message}");
        }
    }

    private static void CheckConnection(KubernetesOptions options, Action<string, string> fail)
    {
        if (options.InCluster && (options.KubeconfigPath is not null || options.Context is not null))
        {
            fail(nameof(options.InCluster), "excludes NecroCode:Kubernetes:KubeconfigPath and NecroCode:Kubernetes:Context.");
        }

        if (options.KubeconfigPath is { } path && !File.Exists(path))
        {
            fail(nameof(options.KubeconfigPath), $"'{path}' does not exist.");
        }
    }

    private static void Name(string? value, string setting, bool label, Action<string, string> fail, bool allowUpper = false)
    {
        var ok = value is not null && (allowUpper ? RunnerId().IsMatch(value) : label ? DnsLabel().IsMatch(value) : DnsSubdomain().IsMatch(value));
        if (!ok)
        {
            fail(setting, label
                ? $"'{value}' must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit."
                : $"'{value}' must be a DNS subdomain name (lower-case letters, digits, '-' and '.', at most 253).");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex RunnerId();

    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$")]
    private static partial Regex Quantity();
}
