using NecroCode.AgentRunner.Agents;

namespace NecroCode.AgentRunner.Tests.Agents;

[TestFixture]
public sealed class CommandAgentOptionsValidatorTests
{
    [Test]
    public void Validate_MissingCommand_Fails()
    {
        var result = new CommandAgentOptionsValidator().Validate(null, new CommandAgentOptions());

        Assert.That(result.Failed, Is.True);
    }

    [Test]
    public void Validate_Command_Succeeds()
    {
        var result = new CommandAgentOptionsValidator().Validate(null, new CommandAgentOptions { Command = "agent" });

        Assert.That(result.Succeeded, Is.True);
    }
}
