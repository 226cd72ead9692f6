using NecroCode.AgentRunner.Agents.Presets;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
public sealed class PresetOptionsConsistencyValidatorTests
{
    private readonly PresetOptionsConsistencyValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_validator.Validate(null, new ClaudeCodeOptions()).Succeeded, Is.True);
            Assert.That(_validator.Validate(null, new CodexOptions()).Succeeded, Is.True);
            Assert.That(_validator.Validate(null, new GeminiCliOptions()).Succeeded, Is.True);
            Assert.That(_validator.Validate(null, new AiderOptions()).Succeeded, Is.True);
            Assert.That(_validator.Validate(null, new CopilotCliOptions()).Succeeded, Is.True);
        });
    }

    [Test]
    public void Validate_NonPositiveTimeout_Fails()
    {
        var result = _validator.Validate(null, new AiderOptions { Timeout = TimeSpan.Zero });

        Assert.That(result.FailureMessage, Does.Contain("AiderOptions.Timeout"));
    }

    [Test]
    public void Validate_UnknownSandbox_Fails()
    {
        var result = _validator.Validate(null, new CodexOptions { Sandbox = "none" });

        Assert.That(result.FailureMessage, Does.Contain("CodexOptions.Sandbox").And.Contain("workspace-write"));
    }

    [Test]
    public void Validate_UnknownApprovalMode_Fails()
    {
        var result = _validator.Validate(null, new GeminiCliOptions { ApprovalMode = "always" });

        Assert.That(result.FailureMessage, Does.Contain("GeminiCliOptions.ApprovalMode"));
    }

    [Test]
    public void Validate_CopilotWithoutAnyAllowedTool_Fails()
    {
        var result = _validator.Validate(null, new CopilotCliOptions { AllowAllTools = false });

        Assert.That(result.FailureMessage, Does.Contain("CopilotCliOptions.AllowedTools"));
    }

    [Test]
    public void Validate_AllowedToolWithComma_Fails()
    {
        var options = new ClaudeCodeOptions();
        options.AllowedTools.Add("Edit,Write");

        var result = _validator.Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("ClaudeCodeOptions.AllowedTools"));
    }

    [Test]
    public void Validate_BlankApiKeyVariable_Fails()
    {
        var options = new GeminiCliOptions();
        options.ApiKeyVariables.Add(" ");

        var result = _validator.Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("GeminiCliOptions.ApiKeyVariables"));
    }
}
