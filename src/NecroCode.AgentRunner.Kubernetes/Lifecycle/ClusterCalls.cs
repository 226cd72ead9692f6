using System.Globalization;
using System.Net;
using k8s.Autorest;
using Polly;
using Polly.Retry;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>
/// Runs API calls with retries: throttling (429), server errors (500, 502, 503, 504) and broken connections are retried
/// with exponential backoff (a <c>Retry-After</c> the server sends is honoured), other answers never are.
/// </summary>
internal sealed class ClusterCalls
{
    private const int MaxRetries = 5;
    private readonly ResiliencePipeline _pipeline;

    public ClusterCalls(TimeProvider time, Action<int, Exception?, TimeSpan> onRetry)
    {
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && IsTransient(ex)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="call"/>, retrying transient failures.</summary>
    public ValueTask<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken);

    /// <summary>Whether a failed call may succeed when repeated.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        HttpOperationException http => (int)http.Response.StatusCode is 429 or 500 or 502 or 503 or 504,
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,

        // A response the HTTP stack could not parse (a connection the server left unusable): a fresh one may do.
        ArgumentOutOfRangeException range when range.TargetSite?.DeclaringType?.Namespace == "System.Net.Http" => true,
        _ => false,
    };

    /// <summary>The status code of a refused call, or null for another failure.</summary>
    public static HttpStatusCode? StatusOf(Exception ex) => ex is HttpOperationException http ? http.Response.StatusCode : null;

    private static TimeSpan? RetryAfter(Exception? ex)
    {
        if (ex is HttpOperationException { Response.Headers: { } headers }
            && headers.TryGetValue("Retry-After", out var values)
            && values.FirstOrDefault() is { } value
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 30));
        }

        return null;
    }
}
