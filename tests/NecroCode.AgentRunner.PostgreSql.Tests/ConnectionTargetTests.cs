using NecroCode.AgentRunner.PostgreSql.Connection;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class ConnectionTargetTests
{
    [Test]
    public void Create_SetsTheSchemaAsSearchPath_AndPreparesStatementsWithoutResettingConnections()
    {
        var target = ConnectionTarget.Create("Host=db;Database=fleet;Username=runner;Password=pw", new PostgreSqlOptions { Schema = "fleet_a" });

        var built = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.That((built.SearchPath, built.MaxAutoPrepare, built.NoResetOnClose, built.ApplicationName), Is.EqualTo(("fleet_a", 32, true, "necrocode-runner")));
    }

    [Test]
    public void Create_KeywordsNamedInTheConnectionString_AreKept()
    {
        var target = ConnectionTarget.Create("Host=db;Max Auto Prepare=0;no reset on close=false", new PostgreSqlOptions());

        var built = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.That((built.MaxAutoPrepare, built.NoResetOnClose), Is.EqualTo((0, false)));
    }

    [Test]
    public void ToStringAndMask_NeverShowThePassword()
    {
        const string connectionString = "Host=db.internal;Port=6543;Database=fleet;Username=runner;Password=pw-7f2e";
        var target = ConnectionTarget.Create(connectionString, new PostgreSqlOptions());

        Assert.That(target.ToString(), Is.EqualTo("db.internal:6543/fleet as user 'runner'"));
        Assert.That(target.Mask($"failed: {connectionString} (pw-7f2e)"), Is.EqualTo("failed: (connection string) (***)"));
    }
}
