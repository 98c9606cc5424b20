using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Bifrost.Tests;

/// <summary>
/// The wire contract: read from ../shared/contract (linked into contract/ at build time) when present,
/// else from the copies in TestData/contract, so the suite runs on a machine without ../shared.
/// </summary>
internal static class Contract
{
    public static string SharedDirectory => Path.Combine(AppContext.BaseDirectory, "contract");

    public static string EmbeddedDirectory => Path.Combine(AppContext.BaseDirectory, "TestData", "contract");

    public static string Directory => System.IO.Directory.Exists(Path.Combine(SharedDirectory, "examples")) ? SharedDirectory : EmbeddedDirectory;

    public static IReadOnlyList<(string Name, byte[] Bytes)> Examples(string prefix)
    {
        var files = System.IO.Directory.GetFiles(Path.Combine(Directory, "examples"), prefix + ".*").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files); // never pass vacuously
        return [.. files.Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }

    public static JsonSchema Schema(string name) => JsonSchema.FromText(File.ReadAllText(Path.Combine(Directory, "schemas", name)));

    public static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static void AssertValid(string schemaName, byte[] json)
    {
        var node = JsonNode.Parse(json);
        var result = Schema(schemaName).Evaluate(node, Options);
        Assert.True(result.IsValid, $"{schemaName}: {JsonSerializer.Serialize(result.Details?.Where(d => d.HasErrors).Select(d => new { d.InstanceLocation, d.Errors }).Select(x => x.ToString()))}\n{System.Text.Encoding.UTF8.GetString(json)}");
    }

    /// <summary>The poison example's expected error code, from its name.</summary>
    public static string ExpectedErrorCode(string exampleName) => exampleName switch
    {
        "poison.not-json.txt" => "INVALID_JSON",
        "poison.callback-not-allowed.json" => "CALLBACK_TOPIC_NOT_ALLOWED",
        _ => "SCHEMA_VIOLATION",
    };
}
