using System.Diagnostics;
using System.Globalization;

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
public sealed class ContainerOwnerTests
{
    [Test]
    public void IsAlive_ThisProcess_IsTrue()
    {
        Assert.That(ContainerOwner.IsAlive(ContainerOwner.Current), Is.True);
    }

    [Test]
    public void IsAlive_ThisPidWithAnotherStartTime_IsFalse()
    {
        var parts = ContainerOwner.Current.Split('/');
        var earlier = string.Join('/', parts[0], parts[1], "1");

        Assert.That(ContainerOwner.IsAlive(earlier), Is.False);
    }

    [Test]
    public void IsAlive_ExitedProcess_IsFalse()
    {
        using var process = Process.Start("sleep", ["30"]);
        var label = ContainerOwner.Label(process.Id)!;
        process.Kill();
        process.WaitForExit();

        Assert.That(ContainerOwner.IsAlive(label), Is.False);
    }

    [Test]
    public void IsAlive_OwnerOnAnotherHost_IsTrue()
    {
        var label = "another-host-" + Guid.NewGuid().ToString("N") + "/1/1";

        Assert.That(ContainerOwner.IsAlive(label), Is.True);
    }

    [Test]
    public void IsAlive_Malformed_IsFalse()
    {
        Assert.That(ContainerOwner.IsAlive(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), Is.False);
    }
}
