using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class RunCredentialsTests
{
    private const string Token = "ghx-canary-token-0123";
    private const string ApiKey = "api-canary-key-4567";

    [Test]
    public async Task OpenAsync_ConfiguredSecrets_RegisteredWithMaskerIncludingEncodings()
    {
        var masker = new SecretMasker();
        var provider = new Recording(("git-token", Token), ("api-key", ApiKey));

        await using var credentials = await RunCredentials.OpenAsync(provider, ["git-token"], ["api-key"], masker, null, CancellationToken.None);

        var text = $"{Token} {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ApiKey))}";
        Assert.Multiple(() =>
        {
            Assert.That(credentials.Names, Is.EquivalentTo(new[] { "git-token", "api-key" }));
            Assert.That(masker.Apply(text), Does.Not.Contain(Token).And.Not.Contain("YXBp"));
            Assert.That(credentials.TryGet("git-token", out var secret) && secret.AsSpan().SequenceEqual(Token), Is.True);
        });
    }

    [Test]
    public async Task StopMasking_TwoRunsShareToken_MaskedUntilBothStop()
    {
        var masker = new SecretMasker();
        var first = await RunCredentials.OpenAsync(new Recording(("git-token", Token), ("api-key", ApiKey)), ["git-token", "api-key"], [], masker, null, CancellationToken.None);
        var second = await RunCredentials.OpenAsync(new Recording(("git-token", Token)), ["git-token"], [], masker, null, CancellationToken.None);

        await first.DisposeAsync();
        first.StopMasking();
        first.StopMasking();
        var afterFirst = masker.Apply($"{Token} {ApiKey}");
        await second.DisposeAsync();
        second.StopMasking();

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst, Is.EqualTo($"*** {ApiKey}"));
            Assert.That(masker.Apply(Token), Is.EqualTo(Token));
            Assert.That(masker.SecretCount, Is.Zero);
        });
    }

    [Test]
    public void OpenAsync_RequiredMissing_FetchedSecretsNoLongerMasked()
    {
        var masker = new SecretMasker();

        Assert.That(async () => await RunCredentials.OpenAsync(new Recording(("git-token", Token)), ["git-token", "api-key"], [], masker, null, CancellationToken.None),
            Throws.TypeOf<CredentialException>());
        Assert.That(masker.SecretCount, Is.Zero);
    }

    [Test]
    public async Task TryReveal_HeldAndMissingAndWiped_ValueThenFalseThenThrows()
    {
        var credentials = await RunCredentials.OpenAsync(new Recording(("git-token", Token)), ["git-token"], [], new SecretMasker(), null, CancellationToken.None);
        IRunSecrets secrets = credentials;

        var held = secrets.TryReveal("git-token", out var value);
        var missing = secrets.TryReveal("api-key", out var none);
        credentials.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.True);
            Assert.That(value, Is.EqualTo(Token));
            Assert.That(missing, Is.False);
            Assert.That(none, Is.Null);
            Assert.That(() => secrets.TryReveal("git-token", out _), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task OpenAsync_OptionalMissing_Skipped()
    {
        var provider = new Recording(("git-token", Token));

        await using var credentials = await RunCredentials.OpenAsync(provider, ["git-token"], ["api-key"], new SecretMasker(), null, CancellationToken.None);

        Assert.That(credentials.Names, Is.EqualTo(new[] { "git-token" }));
    }

    [Test]
    public async Task Dispose_AfterSuccessfulRun_EveryBufferZeroedAndFilesRemoved()
    {
        var provider = new Recording(("git-token", Token), ("api-key", ApiKey));
        var credentials = await RunCredentials.OpenAsync(provider, ["git-token", "api-key"], [], new SecretMasker(), null, CancellationToken.None);
        var file = credentials.CreateFile("askpass.sh", $"#!/bin/sh\necho {Token}\n", executable: true);

        credentials.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(provider.Issued.All(s => s.IsZeroed()), Is.True);
            Assert.That(File.Exists(file.Path), Is.False);
            Assert.That(Directory.Exists(file.Folder), Is.False);
            Assert.That(() => credentials.TryGet("git-token", out _), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task Dispose_RunThrows_EveryBufferZeroedAndFilesRemoved()
    {
        var provider = new Recording(("git-token", Token));
        TemporarySecretFile? file = null;

        Assert.That(async () =>
        {
            await using var credentials = await RunCredentials.OpenAsync(provider, ["git-token"], [], new SecretMasker(), null, CancellationToken.None);
            file = credentials.CreateFile("credentials", Token);
            throw new InvalidOperationException("the run failed");
        }, Throws.InvalidOperationException);

        Assert.Multiple(() =>
        {
            Assert.That(provider.Issued.Single().IsZeroed(), Is.True);
            Assert.That(File.Exists(file!.Path), Is.False);
        });
    }

    [Test]
    public async Task Dispose_RunCancelled_EveryBufferZeroedAndFilesRemoved()
    {
        var provider = new Recording(("git-token", Token));
        using var cts = new CancellationTokenSource();
        TemporarySecretFile? file = null;

        Assert.That(async () =>
        {
            await using var credentials = await RunCredentials.OpenAsync(provider, ["git-token"], [], new SecretMasker(), null, cts.Token);
            file = credentials.CreateFile("credentials", Token);
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, cts.Token);
        }, Throws.InstanceOf<OperationCanceledException>());

        Assert.Multiple(() =>
        {
            Assert.That(provider.Issued.Single().IsZeroed(), Is.True);
            Assert.That(File.Exists(file!.Path), Is.False);
        });
    }

    [Test]
    public void OpenAsync_RequiredMissing_ThrowsNamingItAndZeroesTheOthers()
    {
        var provider = new Recording(("git-token", Token));

        Assert.That(async () => await RunCredentials.OpenAsync(provider, ["git-token", "api-key"], [], new SecretMasker(), null, CancellationToken.None),
            Throws.TypeOf<CredentialException>().With.Message.Contains("'api-key'"));
        Assert.That(provider.Issued.Single().IsZeroed(), Is.True);
    }

    [Test]
    public void OpenAsync_ProviderFailsOnSecond_FirstZeroed()
    {
        var provider = new Recording(("git-token", Token)) { FailOn = "api-key" };

        Assert.That(async () => await RunCredentials.OpenAsync(provider, ["git-token", "api-key"], [], new SecretMasker(), null, CancellationToken.None),
            Throws.TypeOf<CredentialException>());
        Assert.That(provider.Issued.Single().IsZeroed(), Is.True);
    }

    [Test]
    public void OpenAsync_CancelledDuringFetch_FetchedZeroed()
    {
        using var cts = new CancellationTokenSource();
        var provider = new Recording(("git-token", Token), ("api-key", ApiKey)) { AfterIssue = cts.Cancel };

        Assert.That(async () => await RunCredentials.OpenAsync(provider, ["git-token", "api-key"], [], new SecretMasker(), null, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(provider.Issued.All(s => s.IsZeroed()), Is.True);
    }

    [Test]
    public async Task CreateFile_AfterDispose_Throws()
    {
        var credentials = await RunCredentials.OpenAsync(new Recording(), [], [], new SecretMasker(), null, CancellationToken.None);
        credentials.Dispose();

        Assert.That(() => credentials.CreateFile("x", "y"), Throws.TypeOf<ObjectDisposedException>());
    }

    private sealed class Recording(params (string Name, string Value)[] values) : ICredentialProvider
    {
        public List<Secret> Issued { get; } = [];

        public string? FailOn { get; init; }

        public Action? AfterIssue { get; init; }

        public ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name == FailOn)
            {
                throw new CredentialException($"cannot read {name}");
            }

            var match = values.FirstOrDefault(v => v.Name == name);
            if (match.Value is null)
            {
                return ValueTask.FromResult<Secret?>(null);
            }

            var secret = new Secret(name, match.Value);
            Issued.Add(secret);
            AfterIssue?.Invoke();
            return ValueTask.FromResult<Secret?>(secret);
        }
    }
}
