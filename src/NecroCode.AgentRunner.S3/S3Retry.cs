using Polly;
using Polly.Retry;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// The retry policy of every S3 request: failures <see cref="S3Errors.IsTransient"/> calls transient (5xx,
/// throttling, broken connections) are retried with exponential backoff and jitter; 4xx answers never are. The
/// SDK's own retries are off, so this is the one place that decides, timed by the injected <see cref="TimeProvider"/>.
/// </summary>
internal static class S3Retry
{
    public static ResiliencePipeline Create(S3ArtifactStoreOptions options, TimeProvider time, Action<int, Exception?, TimeSpan> onRetry)
    {
        if (options.MaxRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && S3Errors.IsTransient(ex)),
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
