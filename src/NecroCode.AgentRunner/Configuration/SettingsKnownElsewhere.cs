namespace NecroCode.AgentRunner.Configuration;

/// <summary>
/// Settings under the runner's section that a host reads or binds on its own (the command-line host's execution mode,
/// its log level, the options of providers it may choose): known to the unknown-key check without being bound by it.
/// </summary>
/// <param name="Sections">Options classes and their conventional sections (<c>NecroCode:Kiro</c>).</param>
/// <param name="Keys">Plain keys relative to the runner's section (<c>Execution:Mode</c>).</param>
internal sealed record SettingsKnownElsewhere(IReadOnlyList<(string Section, Type OptionsType)> Sections, IReadOnlyList<string> Keys);
