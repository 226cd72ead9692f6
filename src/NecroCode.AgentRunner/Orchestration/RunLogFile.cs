using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>The run log in a run's spool folder: JSON lines (<see cref="RunLogFormat"/>), one run event a line.</summary>
internal static class RunLogFile
{
    /// <summary>Opens the run log of a run; a resumed run carries on the killed attempt's log, so it holds the whole story.</summary>
    /// <param name="spool">The run's spool folder.</param>
    /// <param name="resumed">Whether the run resumes a killed one.</param>
    /// <returns>The writer; output lines go to the file in batches, other events as they are written (a write, not an fsync).</returns>
    public static RunLogWriter Open(string spool, bool resumed)
    {
        var path = Path.Combine(spool, RunArtifactNames.RunLog);
        if (resumed)
        {
            DropPartialLastLine(path);
        }

        return new RunLogWriter(new FileStream(path, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, RunLogWriter.BufferSize));
    }

    /// <summary>Cuts a line a killed writer left half-written off the end of a run log, so every line parses.</summary>
    private static void DropPartialLastLine(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var length = stream.Length;
            var keep = length;
            var buffer = new byte[1];
            while (keep > 0)
            {
                stream.Position = keep - 1;
                if (stream.Read(buffer, 0, 1) == 1 && buffer[0] == (byte)'\n')
                {
                    break;
                }

                keep--;
            }

            if (keep != length)
            {
                stream.SetLength(keep);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The killed attempt left no log here (another machine, or it was stored and removed).
        }
    }
}
