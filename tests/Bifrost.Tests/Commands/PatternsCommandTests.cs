using System.Text.Json;
using Bifrost.Commands;
using Bifrost.Commands.Patterns;

namespace Bifrost.Tests;

public sealed class PatternsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bifrost-patterns-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Run_Assign_PrintsOneIdPerInputLineInOrder()
    {
        var file = Write("a.log", "Got assigned task 1", "Found block rdd_2_0 locally", "Got assigned task 2", "", "Got assigned task 37");

        var (code, output, _) = Run(new PatternsRequest([file], Assign: true));

        Assert.Equal(0, code);
        var ids = Lines(output);
        Assert.Equal(5, ids.Length);
        Assert.All(ids, id => Assert.Matches("^[0-9]+$", id));
        Assert.Equal(ids[0], ids[2]);
        Assert.Equal(ids[0], ids[4]);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[3]);
    }

    [Fact]
    public void Run_Assign_GivesTheFinalTemplateAfterMerges()
    {
        // The second line starts a template of its own; the last one generalizes the first template over it.
        var file = Write("merge.log", "sync a/b c/d e/f done", "sync g/h i/j k/l done", "sync a/b c/d x/y done", "sync a/b z/z q/q done", "sync m/m c/d q/q done");

        var (_, output, _) = Run(new PatternsRequest([file], Assign: true));

        Assert.Single(Lines(output).Distinct());
    }

    [Fact]
    public void Run_Assign_ContinuesIdsAcrossFilesAndStdin()
    {
        var first = Write("1.log", "Connection reset by peer 10.0.0.1");
        var (_, output, _) = Run(new PatternsRequest([first, "-"], Assign: true), stdin: "Connection reset by peer 10.0.0.2\nnew kind of message here\n");

        var ids = Lines(output);
        Assert.Equal(3, ids.Length);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    [Fact]
    public void Run_Json_ReportsTemplatesByCountWithShareAndRedactedExample()
    {
        var file = Write("j.log", "mail to bob@example.com failed after 3 tries", "Got assigned task 1", "mail to eve@example.org failed after 5 tries", "mail to x@example.net failed after 1 tries");

        var (code, output, _) = Run(new PatternsRequest([file], PatternsFormat.Json));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, json.RootElement.GetProperty("lines").GetInt64());
        var templates = json.RootElement.GetProperty("templates").EnumerateArray().ToArray();
        Assert.Equal(2, templates.Length);
        Assert.Equal(3, templates[0].GetProperty("count").GetInt64());
        Assert.Equal(0.75, templates[0].GetProperty("share").GetDouble());
        Assert.Equal("mail to <*> failed after <*> tries", templates[0].GetProperty("template").GetString());
        Assert.Equal("mail to <email> failed after 3 tries", templates[0].GetProperty("example").GetString());
        Assert.DoesNotContain("@example", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Csv_HasAHeaderAndQuotesFieldsWithCommas()
    {
        var file = Write("c.log", "Changing view acls to: yarn,curi", "Changing view acls to: hdfs,root");

        var (_, output, _) = Run(new PatternsRequest([file], PatternsFormat.Csv));

        var lines = Lines(output);
        Assert.Equal("id,count,share,template,example", lines[0]);
        Assert.Equal("1,2,1,Changing view acls to: <*>,\"Changing view acls to: yarn,curi\"", lines[1]);
    }

    [Fact]
    public void Run_Table_ShowsTemplatesAndTotals()
    {
        var file = Write("t.log", "Got assigned task 1", "Got assigned task 2", "Starting remoting");

        var (_, output, _) = Run(new PatternsRequest([file], Top: 1));

        Assert.Contains("Got assigned task <*>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting remoting", output, StringComparison.Ordinal);
        Assert.Contains("3 lines, 1 templates", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithProgress_DrawsOnTheProgressWriterOnly()
    {
        var file = Write("p.log", [.. Enumerable.Range(0, 20_000).Select(i => $"Got assigned task {i}")]);
        var progress = new StringWriter();

        var (code, output, _) = Run(new PatternsRequest([file], Assign: true), progress: progress);

        Assert.Equal(0, code);
        Assert.Equal(20_000, Lines(output).Length);
        Assert.Contains("mining templates", progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFile_FailsWithAMessage()
    {
        var (code, output, error) = Run(new PatternsRequest([Path.Combine(_directory, "nope.log")]));

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SmallTemplateCapacity_StillAssignsEveryLine()
    {
        var file = Write("cap.log", [.. Enumerable.Range(0, 100).Select(i => $"message{Letters(i)} happened")]);

        var (code, output, _) = Run(new PatternsRequest([file], Assign: true, MaxTemplates: 3));

        Assert.Equal(0, code);
        Assert.Equal(100, Lines(output).Distinct().Count());
    }

    [Fact]
    public void BoundedLineReader_CutsHugeLinesAndHandlesLineEndings()
    {
        var huge = new string('x', BoundedLineReader.MaxLineLength + 10);
        var reader = new BoundedLineReader(new StringReader($"a\r\n{huge}\nlast"));

        Assert.Equal("a", reader.ReadLine());
        Assert.Equal(BoundedLineReader.MaxLineLength, reader.ReadLine()!.Length);
        Assert.Equal("last", reader.ReadLine());
        Assert.Null(reader.ReadLine());
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static (int Code, string Output, string Error) Run(PatternsRequest request, string stdin = "", TextWriter? progress = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PatternsCommand.Run(request, new StringReader(stdin), output, error, progress);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static string Letters(int n) => string.Concat(n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => (char)('a' + (c - '0'))));
}
