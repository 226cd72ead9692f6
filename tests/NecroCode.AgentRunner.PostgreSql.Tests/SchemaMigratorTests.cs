namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class SchemaMigratorTests
{
    [Test]
    public async Task StartAsync_EmptySchema_CreatesTheTablesAndRecordsTheVersion()
    {
        await using var database = await TestDatabase.CreateAsync();

        await database.Open().StartAsync(CancellationToken.None);

        Assert.That(await database.ScalarAsync<int>("SELECT max(version) FROM schema_version"), Is.EqualTo(PostgreSqlFleet.SchemaVersion));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema", ("schema", database.Schema)), Is.GreaterThanOrEqualTo(9));
    }

    [Test]
    public async Task StartAsync_ManyProcessesAtOnce_MigrateOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleets = Enumerable.Range(0, 12).Select(i => database.Open($"machine-{i}")).ToList();

        await Task.WhenAll(fleets.Select(f => Task.Run(() => f.StartAsync(CancellationToken.None))));

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM schema_version"), Is.EqualTo(PostgreSqlFleet.SchemaVersion));
    }

    [Test]
    public async Task StartAsync_SchemaAlreadyCurrent_LeavesItAsItIs()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.Open("first").StartAsync(CancellationToken.None);
        var appliedAt = await database.ScalarAsync<DateTime>("SELECT max(applied_at) FROM schema_version");

        await database.Open("second").StartAsync(CancellationToken.None);

        Assert.That(await database.ScalarAsync<DateTime>("SELECT max(applied_at) FROM schema_version"), Is.EqualTo(appliedAt));
    }

    [Test]
    public async Task StartAsync_SchemaNewerThanThePackage_IsRefusedNamingBothVersions()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.Open("first").StartAsync(CancellationToken.None);
        var newer = PostgreSqlFleet.SchemaVersion + 1;
        await database.ExecuteAsync("INSERT INTO schema_version (version, name) VALUES (@version, 'from-the-future')", ("version", newer));

        var error = Assert.ThrowsAsync<RegistryException>(() => database.Open("second").StartAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"version {newer}").And.Contain($"version {PostgreSqlFleet.SchemaVersion}").And.Contain(database.Schema));
        Assert.That(error.IsTransient, Is.False);
    }

    [Test]
    public async Task Registry_FirstOperation_MigratesWithoutAnExplicitStart()
    {
        await using var database = await TestDatabase.CreateAsync();

        var record = await database.Open().Registry.GetTaskAsync(new TaskKey("spec", "1"), CancellationToken.None);

        Assert.That(record, Is.Null);
        Assert.That(await database.ScalarAsync<int>("SELECT max(version) FROM schema_version"), Is.EqualTo(PostgreSqlFleet.SchemaVersion));
    }
}
