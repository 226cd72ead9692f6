namespace NecroCode.AgentRunner.Benchmarks.Registry;

/// <summary>How a writer process appends its events.</summary>
internal enum AppendMode
{
    /// <summary>Through <c>FileSystemTaskRegistry.AppendEventAsync</c>: flock, O_APPEND write, fsync.</summary>
    Registry,

    /// <summary>The same line with one O_APPEND <c>write(2)</c> and an <c>fsync(2)</c>, no lock.</summary>
    AppendFsync,

    /// <summary>The same line with one O_APPEND <c>write(2)</c>, no lock, no fsync.</summary>
    Append,
}
