using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakePromptBuilderTests
{
    [Test]
    public void Build_Default_FakePrompt() =>
        Assert.That(new FakePromptBuilder().Build(Request()), Is.EqualTo("fake prompt"));

    [Test]
    public void Build_FixedPrompt_ReturnedForEveryRequest()
    {
        var builder = new FakePromptBuilder("do it");

        Assert.That(new[] { builder.Build(Request(1)), builder.Build(Request(2)) }, Is.EqualTo(new[] { "do it", "do it" }));
    }

    [Test]
    public void Build_Delegate_BuildsEachPromptFromItsRequest()
    {
        var builder = new FakePromptBuilder(r => $"{r.Task.Title} #{r.Attempt}");

        Assert.That(builder.Build(Request(2)), Is.EqualTo("t #2"));
    }

    [Test]
    public void Build_Requests_RecordedInOrder()
    {
        var builder = new FakePromptBuilder();
        var first = Request(1);
        var second = Request(2) with { PreviousFailure = "1 test failed" };

        builder.Build(first);
        builder.Build(second);

        Assert.That(builder.Requests, Is.EqualTo(new[] { first, second }));
    }

    [Test]
    public void Build_NullRequest_Throws() =>
        Assert.That(() => new FakePromptBuilder().Build(null!), Throws.ArgumentNullException);

    [Test]
    public void Constructor_NullPromptOrDelegate_Throws() =>
        Assert.Multiple(() =>
        {
            Assert.That(() => new FakePromptBuilder((string)null!), Throws.ArgumentNullException);
            Assert.That(() => new FakePromptBuilder((Func<PromptRequest, string>)null!), Throws.ArgumentNullException);
        });

    private static PromptRequest Request(int attempt = 1) =>
        new(new TaskContext { TaskId = "1", SpecName = "spec", Title = "t" }, "/work", ["true"], attempt);
}
