namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>A fixture run against one <see cref="S3TestTarget"/> (<c>local</c> or <c>real</c>), opened once and cleaned up after.</summary>
public abstract class S3TargetFixture(string kind)
{
    internal S3TestTarget Target { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task OpenTargetAsync() => Target = await S3TestTarget.OpenAsync(kind);

    [OneTimeTearDown]
    public async Task CloseTargetAsync()
    {
        if (Target is not null)
        {
            await Target.DisposeAsync();
        }
    }
}
