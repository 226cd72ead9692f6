using System.Xml;
using System.Xml.Linq;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Reads one result file into test cases, whatever its format: JUnit XML (root <c>testsuites</c> or <c>testsuite</c>),
/// TRX (root <c>TestRun</c>) or TAP (version 13 or plain). XML is read without DTDs or external entities; a malformed
/// or unknown file is an error message, never an exception.
/// </summary>
internal static class TestResultFile
{
    /// <summary>The most characters of a failure's details kept.</summary>
    public const int DetailsLimit = 4096;

    /// <summary>Reads <paramref name="file"/>.</summary>
    /// <param name="file">The file.</param>
    /// <param name="source">Its path relative to the workspace, for the cases and messages.</param>
    /// <param name="limit">The largest file read, in bytes.</param>
    /// <returns>The cases, or why there are none.</returns>
    public static (IReadOnlyList<TestCaseResult> Cases, string? Error) Read(FileInfo file, string source, int limit)
    {
        if (file.Length > limit)
        {
            return ([], $"The test result file '{source}' is {file.Length} bytes, over the limit of {limit} (NecroCode:Tests:ResultFileLimit); it was ignored.");
        }

        try
        {
            var text = File.ReadAllText(file.FullName);
            return text.TrimStart().StartsWith('<') ? ReadXml(text, source) : ReadTap(text, source);
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException or FormatException)
        {
            return ([], $"The test result file '{source}' could not be read: {ex.Message}");
        }
    }

    /// <summary>Cuts a failure's details to <see cref="DetailsLimit"/> characters; null for empty text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The trimmed text.</returns>
    public static string? Cut(string? text)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= DetailsLimit ? trimmed : trimmed[..DetailsLimit] + " […]";
    }

    private static (IReadOnlyList<TestCaseResult>, string?) ReadXml(string text, string source)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var document = XDocument.Load(reader);
        var root = document.Root!;
        return root.Name.LocalName switch
        {
            "testsuites" or "testsuite" => (JUnitXmlReader.Read(root, source), null),
            "TestRun" => (TrxReader.Read(root, source), null),
            var other => ([], $"The test result file '{source}' is XML but neither JUnit XML (testsuites, testsuite) nor TRX (TestRun): its root is '{other}'; it was ignored."),
        };
    }

    private static (IReadOnlyList<TestCaseResult>, string?) ReadTap(string text, string source)
    {
        var cases = TapReader.Read(text, source, out var error);
        return (cases, error);
    }
}
