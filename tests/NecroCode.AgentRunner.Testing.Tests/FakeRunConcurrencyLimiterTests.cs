using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeRunConcurrencyLimiterTests
{
    [Test]
    public async Task AcquireAsync_AllPermitsHeld_WaitsUntilOneIsReleased()
    {
        using var limiter = new FakeRunConcurrencyLimiter(1);
        var first = await limiter.AcquireAsync(CancellationToken.None);

        var second = limiter.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        var waited = !second.IsCompleted;
        await first.DisposeAsync();
        await using var held = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.True, "the second run got a permit while the only one was held");
            Assert.That(limiter.Peak, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Peak_PermitsHeldTogether_TheMostAtOnce()
    {
        using var limiter = new FakeRunConcurrencyLimiter();
        var a = await limiter.AcquireAsync(CancellationToken.None);
        var b = await limiter.AcquireAsync(CancellationToken.None);
        await a.DisposeAsync();
        await b.DisposeAsync();

        await using var c = await limiter.AcquireAsync(CancellationToken.None);

        Assert.That(limiter.Peak, Is.EqualTo(2));
    }

    [Test]
    public async Task PermitDispose_Twice_ReleasesOnce()
    {
        using var limiter = new FakeRunConcurrencyLimiter(1);
        var permit = await limiter.AcquireAsync(CancellationToken.None);
        await permit.DisposeAsync();
        await permit.DisposeAsync();
        await using var again = await limiter.AcquireAsync(CancellationToken.None);

        var third = limiter.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);

        Assert.That(third.IsCompleted, Is.False, "a double release handed out a second permit");
        await again.DisposeAsync();
        await (await third).DisposeAsync();
    }

    [Test]
    public async Task AcquireAsync_CancelledWhileWaiting_Throws()
    {
        using var limiter = new FakeRunConcurrencyLimiter(1);
        await using var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(() => limiter.AcquireAsync(cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
