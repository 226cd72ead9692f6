namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// What a sandbox's pods are given: the runner image and its pull policy, and the addresses at which they reach the
/// services the host reaches at its own (on the fake cluster, whose pods use host networking, the same ones).
/// </summary>
/// <param name="Image">The image with <c>necrocode-runner</c>.</param>
/// <param name="PullPolicy">The container's image pull policy.</param>
/// <param name="HostAddress">The address at which pods reach this machine's git server; null: 127.0.0.1 (host networking).</param>
/// <param name="ConnectionString">The PostgreSQL connection string the pods use.</param>
/// <param name="S3Endpoint">The S3 endpoint the pods use.</param>
internal sealed record PodSide(string Image, string PullPolicy, string? HostAddress, string ConnectionString, string S3Endpoint);
