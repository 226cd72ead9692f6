using NecroCode.AgentRunner.Execution;

namespace NecroCode.AgentRunner.Tests.Execution;

[TestFixture]
public sealed class TaskCompletionTests
{
    private static readonly ArtifactRecord[] Artifacts =
    [
        new(ArtifactKind.Diff, "diff.patch", new Uri("file:///store/diff.patch"), 1, "aa"),
        new(ArtifactKind.RunLog, "run.log", null, 1, "bb", Error: "not stored"),
    ];

    [Test]
    public void Of_Succeeded_CompletedWithPushedMessageAndDone()
    {
        var completion = TaskCompletion.Of(RunOutcome.Succeeded, "feature/x", "abc", Artifacts, error: null);

        Assert.That((completion.Type, completion.State, completion.Message), Is.EqualTo((TaskEventTypes.TaskCompleted, TaskState.Done, "Pushed feature/x at abc.")));
    }

    [Test]
    public void Of_AnyOutcome_DataHoldsOutcomeBranchCommitAndStoredArtifactsInOrder()
    {
        var completion = TaskCompletion.Of(RunOutcome.Succeeded, "feature/x", "abc", Artifacts, error: null);

        Assert.That(completion.Data.Select(p => p.Key + "=" + p.Value), Is.EqualTo(new[] { "outcome=Succeeded", "branch=feature/x", "commit=abc", "artifact:diff.patch=file:///store/diff.patch" }));
    }

    [Test]
    public void Of_Failed_FailedWithTheErrorAndNoMissingKeys()
    {
        var completion = TaskCompletion.Of(RunOutcome.TestsFailed, branch: null, commitId: null, [], "tests failed");

        Assert.That((completion.Type, completion.State, completion.Message), Is.EqualTo((TaskEventTypes.TaskFailed, TaskState.Failed, "tests failed")));
        Assert.That(completion.Data.Keys, Is.EqualTo(new[] { "outcome" }));
    }

    [Test]
    public void ToEvent_AnyCompletion_CarriesTypeMessageAndData()
    {
        var completion = TaskCompletion.Of(RunOutcome.Succeeded, "feature/x", "abc", [], error: null);
        var at = DateTimeOffset.UnixEpoch;

        var taskEvent = completion.ToEvent(new TaskKey("spec", "1"), "runner-1", at);

        Assert.That(taskEvent, Is.EqualTo(new TaskEvent(new TaskKey("spec", "1"), TaskEventTypes.TaskCompleted, at, "runner-1", "Pushed feature/x at abc.", completion.Data)));
    }
}
