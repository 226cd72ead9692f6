using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// The one table of built-in steps: their names, their order in the default pipeline, the step each requires, which
/// always run, and the class that implements each. The playbook reader, the default playbook, the schema test and
/// the service registrations all read it, so they cannot disagree. Adding a built-in step is a class and a line here.
/// </summary>
internal static class BuiltInStepCatalog
{
    /// <summary>Every built-in step, in the order of the default pipeline.</summary>
    public static IReadOnlyList<StepDescriptor> All { get; } =
    [
        new(Register, typeof(RegisterStep)),
        new(AcquireSlot, typeof(AcquireSlotStep), Requires: Register),
        new(PrepareWorkspace, typeof(PrepareWorkspaceStep), Requires: AcquireSlot),
        new(Implement, typeof(ImplementStep), Requires: PrepareWorkspace),
        new(Test, typeof(TestStep), Requires: PrepareWorkspace),
        new(Commit, typeof(CommitStep), Requires: Test),
        new(Push, typeof(PushStep), Requires: Commit),
        new(UploadArtifacts, typeof(UploadArtifactsStep), AlwaysByDefault: true),
        new(Report, typeof(ReportStep), AlwaysByDefault: true),
        new(ReleaseSlot, typeof(ReleaseSlotStep), AlwaysByDefault: true),
    ];

    /// <summary>The descriptor of <paramref name="name"/>, or null when it is not a built-in step.</summary>
    /// <param name="name">The name (exact, ordinal).</param>
    /// <returns>The descriptor, or null.</returns>
    public static StepDescriptor? Find(string? name) => name is null ? null : All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    /// <summary>Registers every built-in step's class (each once, whatever else is registered).</summary>
    /// <param name="services">The service collection.</param>
    public static void AddTo(IServiceCollection services)
    {
        foreach (var step in All)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IRunStep), step.Implementation));
        }
    }
}

/// <summary>A built-in step as the catalogue describes it.</summary>
/// <param name="Name">The step's name, as playbooks name it in <c>uses</c>.</param>
/// <param name="Implementation">The <see cref="IRunStep"/> class that runs it.</param>
/// <param name="Requires">The built-in step that must run before it in the same run, if any.</param>
/// <param name="AlwaysByDefault">Whether it runs even after an earlier failure unless a playbook says otherwise.</param>
internal sealed record StepDescriptor(string Name, Type Implementation, string? Requires = null, bool AlwaysByDefault = false);
