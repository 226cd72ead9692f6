using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// Writes every (masked) run event as one JSON line in the run log's format (<see cref="RunLogFormat"/>: output
/// lines compact, other events whole) — the machine-readable output that Docker and Kubernetes modes read back
/// from a runner inside a container (with a <see cref="RunLogReader"/>). Each line is flushed as it is written.
/// </summary>
internal sealed class JsonLinesObserver(TextWriter writer) : IRunEventObserver
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private Utf8JsonWriter? _json;

    public void OnEvent(RunEvent runEvent)
    {
        lock (_gate)
        {
            _json ??= new Utf8JsonWriter(_line, WriterOptions);
            try
            {
                RunLogFormat.Write(_json, runEvent);
                _json.Flush();
                writer.WriteLine(Encoding.UTF8.GetString(_line.WrittenSpan));
                writer.Flush();
            }
            finally
            {
                _json.Reset();
                _line.ResetWrittenCount();
            }
        }
    }
}
