using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class BuiltInStepCatalogTests
{
    private static List<Type> RegisteredSteps(IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(IRunStep)).Select(d => d.ImplementationType!)];

    [Test]
    public void All_EveryImplementation_IsARunStep()
    {
        var notSteps = BuiltInStepCatalog.All.Where(d => !typeof(IRunStep).IsAssignableFrom(d.Implementation)).Select(d => d.Name);

        Assert.That(notSteps, Is.Empty);
    }

    [Test]
    public void All_EveryResolvedImplementation_NamedAsItsDescriptor()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner();
        services.Replace(ServiceDescriptor.Singleton<ICodingAgent>(FakeCodingAgent.Exiting(0)));
        services.Replace(ServiceDescriptor.Singleton<ITaskRegistry>(new FakeTaskRegistry()));
        services.Replace(ServiceDescriptor.Singleton<ISlotPool>(new FakeSlotPool()));
        services.Replace(ServiceDescriptor.Singleton<IArtifactStore>(new FakeArtifactStore()));
        services.Replace(ServiceDescriptor.Singleton<IWorkspaceManager>(new FakeWorkspaceManager()));
        using var provider = services.BuildServiceProvider();

        var steps = provider.GetServices<IRunStep>().ToDictionary(s => s.GetType());

        Assert.That(BuiltInStepCatalog.All.Select(d => steps[d.Implementation].Name), Is.EqualTo(BuiltInStepCatalog.All.Select(d => d.Name)));
    }

    [Test]
    public void AddAgentRunner_Once_RegistersOneRunStepPerCatalogueEntry()
    {
        var services = new ServiceCollection();

        services.AddAgentRunner();

        Assert.That(RegisteredSteps(services), Is.EqualTo(BuiltInStepCatalog.All.Select(d => d.Implementation)));
    }

    [Test]
    public void AddAgentRunner_Twice_StillOneRunStepPerCatalogueEntry()
    {
        var services = new ServiceCollection();

        services.AddAgentRunner();
        services.AddAgentRunner();

        Assert.That(RegisteredSteps(services), Is.EqualTo(BuiltInStepCatalog.All.Select(d => d.Implementation)));
    }

    [Test]
    public void All_Requires_AreThePlaybookReadersPrerequisites()
    {
        var requires = BuiltInStepCatalog.All.Where(d => d.Requires is not null).ToDictionary(d => d.Name, d => d.Requires!);

        Assert.That(PlaybookReader.Prerequisites, Is.EquivalentTo(requires));
    }

    [Test]
    public void All_Requires_NameAnEarlierBuiltInStep()
    {
        var names = BuiltInStepCatalog.All.Select(d => d.Name).ToList();

        var misplaced = BuiltInStepCatalog.All.Where(d => d.Requires is { } required && names.IndexOf(required) is var at && (at < 0 || at >= names.IndexOf(d.Name)));

        Assert.That(misplaced.Select(d => d.Name), Is.Empty);
    }

    [Test]
    public void PlaybookBuiltInStepsAll_FollowsTheCataloguesOrder()
    {
        Assert.That(PlaybookBuiltInSteps.All, Is.EqualTo(BuiltInStepCatalog.All.Select(d => d.Name)));
    }

    [Test]
    public void PlaybookDefault_StepsAndAlwaysFlags_FollowTheCatalogue()
    {
        Assert.That(
            Playbook.Default.Steps.Select(s => (s.Name, s.Uses, s.Always)),
            Is.EqualTo(BuiltInStepCatalog.All.Select(d => (d.Name, (string?)d.Name, d.AlwaysByDefault))));
    }

    [Test]
    public void Find_BuiltInName_ReturnsItsDescriptor()
    {
        var descriptor = BuiltInStepCatalog.Find(PlaybookBuiltInSteps.Push);

        Assert.That(descriptor, Is.EqualTo(new StepDescriptor(PlaybookBuiltInSteps.Push, typeof(PushStep), Requires: PlaybookBuiltInSteps.Commit)));
    }

    [TestCase(null)]
    [TestCase("lint")]
    [TestCase("PUSH")]
    public void Find_NotABuiltInName_ReturnsNull(string? name)
    {
        Assert.That(BuiltInStepCatalog.Find(name), Is.Null);
    }
}
