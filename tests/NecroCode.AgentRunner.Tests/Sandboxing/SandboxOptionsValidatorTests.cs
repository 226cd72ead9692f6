using NecroCode.AgentRunner.Sandboxing;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

[TestFixture]
public sealed class SandboxOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeed() =>
        Assert.That(new SandboxOptionsPathsValidator().Validate(null, new SandboxOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_HostsWithAllowedHosts_Succeed() =>
        Assert.That(Validate(o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = ["api.example.com", "*.example.org:443"]; }), Is.Empty);

    [Test]
    public void Validate_HostsWithoutAnyHost_FailsNamingTheSetting() =>
        Assert.That(Validate(o => o.Network = SandboxNetwork.Hosts), Has.One.StartsWith("AllowedHosts: Network is Hosts but no host is allowed"));

    [Test]
    public void Validate_AllowedHostsWithAnotherNetwork_FailsRatherThanAllowingEverything() =>
        Assert.That(Validate(o => o.AllowedHosts = ["api.example.com"]), Has.One.StartsWith("AllowedHosts: hosts are listed but Network is Any"));

    [Test]
    public void Validate_BadAllowedHost_FailsNamingTheEntry() =>
        Assert.That(
            Validate(o => { o.Network = SandboxNetwork.Hosts; o.AllowedHosts = ["api.example.com", "https://bad.example.com/"]; }),
            Has.One.StartsWith("AllowedHosts[1]: 'https://bad.example.com/' is not a host name"));

    [TestCase(SandboxNetwork.None)]
    [TestCase(SandboxNetwork.Hosts)]
    public void Validate_ANetworkPolicyWithTheSandboxOff_Fails(SandboxNetwork network) =>
        Assert.That(
            Validate(o => { o.Mode = SandboxMode.Off; o.Network = network; o.AllowedHosts = network == SandboxNetwork.Hosts ? ["api.example.com"] : []; }),
            Has.One.EqualTo($"Network: {network} needs the sandbox, but Mode is Off; choose a mode, or Network Any."));

    [Test]
    public void Validate_RelativeOrRootPaths_FailNamingTheSetting() =>
        Assert.That(
            Validate(o => { o.ExtraWritablePaths = ["cache"]; o.HiddenPaths = ["/"]; }),
            Is.EquivalentTo(new[]
            {
                "ExtraWritablePaths[0]: 'cache' is not an absolute path.",
                "HiddenPaths[0]: the file-system root cannot be listed; name the folders themselves.",
            }));

    private static IEnumerable<string> Validate(Action<SandboxOptions> configure)
    {
        var options = new SandboxOptions();
        configure(options);
        var result = new SandboxOptionsPathsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }
}
