using NecroCode.AgentRunner.Prompts;

namespace NecroCode.AgentRunner.Tests.Prompts;

[TestFixture]
public sealed class PromptOptionsTemplateValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_TemplateWithUnknownPlaceholder_FailsNamingItAndTheKnownOnes()
    {
        var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions { Template = "{{title}} {{acceptance}}" });

        Assert.That(result.FailureMessage, Does.Contain("PromptOptions.Template uses the unknown placeholder '{{acceptance}}' on line 1").And.Contain("{{acceptance-criteria}}"));
    }

    [Test]
    public void Validate_TemplateFileWithUnknownPlaceholder_FailsNamingTheFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "ok {{title}}\n{{ nope }}");

            var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions { TemplateFile = file });

            Assert.That(result.FailureMessage, Does.Contain($"PromptOptions.TemplateFile '{file}' uses the unknown placeholder '{{{{ nope }}}}' on line 2"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Validate_MissingTemplateFile_FailsNamingIt()
    {
        var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions { TemplateFile = "/no/such/template.md" });

        Assert.That(result.FailureMessage, Does.Contain("'/no/such/template.md' does not exist"));
    }

    [Test]
    public void Validate_TemplateAndTemplateFile_Fails()
    {
        var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions { Template = "x", TemplateFile = "y" });

        Assert.That(result.FailureMessage, Does.Contain("both set"));
    }

    [TestCase("../outside.md")]
    [TestCase("/etc/passwd")]
    [TestCase("docs/*/guide.md")]
    [TestCase(" ")]
    public void Validate_GuidancePatternOutsideOrMalformed_Fails(string pattern)
    {
        var result = new PromptOptionsTemplateValidator().Validate(null, new PromptOptions { GuidanceFiles = [pattern] });

        Assert.That(result.FailureMessage, Does.Contain("PromptOptions.GuidanceFiles"));
    }
}
