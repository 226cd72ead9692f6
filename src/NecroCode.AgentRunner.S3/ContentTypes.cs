namespace NecroCode.AgentRunner.S3;

/// <summary>The content type an artifact is stored with, by its file name's extension.</summary>
internal static class ContentTypes
{
    public const string Default = "application/octet-stream";

    public static string For(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".patch" or ".diff" => "text/x-diff; charset=utf-8",
        ".jsonl" or ".ndjson" => "application/x-ndjson",
        ".json" => "application/json",
        ".txt" or ".log" => "text/plain; charset=utf-8",
        ".xml" or ".trx" => "application/xml",
        ".html" => "text/html; charset=utf-8",
        ".md" => "text/markdown; charset=utf-8",
        ".zip" => "application/zip",
        ".gz" or ".tgz" => "application/gzip",
        _ => Default,
    };
}
