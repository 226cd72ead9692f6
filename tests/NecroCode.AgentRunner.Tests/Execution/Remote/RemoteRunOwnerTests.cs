using System.Diagnostics;
using System.Globalization;

using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed class RemoteRunOwnerTests
{
    [Test]
    public void IsAlive_ThisProcess_IsTrue()
    {
        Assert.That(RemoteRunOwner.IsAlive(RemoteRunOwner.Current), Is.True);
    }

    [Test]
    public void IsAlive_ThisPidWithAnotherStartTime_IsFalse()
    {
        var parts = RemoteRunOwner.Current.Split('/');
        var earlier = string.Join('/', parts[0], parts[1], "1");

        Assert.That(RemoteRunOwner.IsAlive(earlier), Is.False);
    }

    [Test]
    public void IsAlive_ExitedProcess_IsFalse()
    {
        using var process = Process.Start("sleep", ["30"]);
        var label = RemoteRunOwner.Label(process.Id)!;
        process.Kill();
        process.WaitForExit();

        Assert.That(RemoteRunOwner.IsAlive(label), Is.False);
    }

    [Test]
    public void IsAlive_OwnerOnAnotherHost_IsTrue()
    {
        var label = "another-host-" + Guid.NewGuid().ToString("N") + "/1/1";

        Assert.That(RemoteRunOwner.IsAlive(label), Is.True);
    }

    [Test]
    public void IsAlive_Malformed_IsFalse()
    {
        Assert.That(RemoteRunOwner.IsAlive(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), Is.False);
    }
}
