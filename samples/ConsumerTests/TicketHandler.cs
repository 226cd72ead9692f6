using NecroCode.AgentRunner;

namespace ConsumerTests;

/// <summary>A ticket of the consumer's own tracker.</summary>
/// <param name="Project">The project, used as the task's spec name.</param>
/// <param name="Number">The ticket's number, used as the task id.</param>
/// <param name="Title">What to do, in a line.</param>
/// <param name="Body">What to do, in full.</param>
public sealed record Ticket(string Project, int Number, string Title, string Body);

/// <summary>
/// The code under test: the consumer's own class that turns a ticket into a coding task, runs it and says what came
/// of it. In a real solution it lives in the application's project; here it sits beside its tests.
/// </summary>
public sealed class TicketHandler(IAgentRunner runner)
{
    /// <summary>Runs the ticket's task to its end.</summary>
    /// <param name="ticket">The ticket.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The comment to post on the ticket.</returns>
    public async Task<string> HandleAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var task = new TaskContext
        {
            SpecName = ticket.Project,
            TaskId = ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Title = ticket.Title,
            Description = ticket.Body,
            TestCommands = ["dotnet test"],
        };

        var result = await runner.RunAsync(task, cancellationToken);
        return result.Outcome switch
        {
            RunOutcome.Succeeded => $"Ready for review on {result.Branch}.",
            RunOutcome.TestsFailed => "The tests still fail after the agent's fixes; a person should take it.",
            _ => $"Could not finish ({result.Outcome}): {result.Error?.Message}",
        };
    }
}
