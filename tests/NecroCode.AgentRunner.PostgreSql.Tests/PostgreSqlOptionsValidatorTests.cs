namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class PostgreSqlOptionsValidatorTests
{
    [Test]
    public void Validate_NeitherConnectionStringNorSecret_Fails()
    {
        var result = new PostgreSqlOptionsConsistencyValidator().Validate(null, new PostgreSqlOptions());

        Assert.That(result.FailureMessage, Does.Contain("ConnectionString"));
    }

    [Test]
    public void Validate_BothConnectionStringAndSecret_Fails()
    {
        var result = new PostgreSqlOptionsConsistencyValidator().Validate(null, new PostgreSqlOptions { ConnectionString = "Host=db", ConnectionStringSecret = "pg" });

        Assert.That(result.FailureMessage, Does.Contain("not both"));
    }

    [Test]
    public void Validate_UnparsableConnectionString_FailsWithoutQuotingIt()
    {
        var result = new PostgreSqlOptionsConsistencyValidator().Validate(null, new PostgreSqlOptions { ConnectionString = "Host=db;Password=s3cret-value;Pasword=typo" });

        Assert.That(result.FailureMessage, Does.Contain("'pasword'").And.Not.Contain("s3cret-value"));
    }

    [Test]
    public void Validate_NoHost_Fails()
    {
        var result = new PostgreSqlOptionsConsistencyValidator().Validate(null, new PostgreSqlOptions { ConnectionString = "Database=x;Password=p" });

        Assert.That(result.FailureMessage, Does.Contain("names no Host"));
    }

    [TestCase("Necro")]
    [TestCase("1abc")]
    [TestCase("a-b")]
    [TestCase("")]
    public void Validate_SchemaNotAPlainIdentifier_Fails(string schema)
    {
        var result = new PostgreSqlOptionsValidator().Validate(null, new PostgreSqlOptions { ConnectionString = "Host=db", Schema = schema });

        Assert.That(result.Failed, Is.True);
    }

    [Test]
    public void Validate_Defaults_WithAConnectionString_Succeed()
    {
        var options = new PostgreSqlOptions { ConnectionString = "Host=db;Database=necrocode;Username=u;Password=p" };

        Assert.That(new PostgreSqlOptionsValidator().Validate(null, options).Succeeded, Is.True);
        Assert.That(new PostgreSqlOptionsConsistencyValidator().Validate(null, options).Succeeded, Is.True);
        Assert.That((options.Schema, options.LeaseDuration, options.MaxParallelRuns), Is.EqualTo(("necrocode", TimeSpan.FromSeconds(30), (int?)null)));
    }
}
