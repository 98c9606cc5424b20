using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Bifrost.Tests.Fuzz;

/// <summary>
/// CsCheck generators for hostile input: mutated requests, random bytes (invalid UTF-8), control characters,
/// lone surrogates, deep nesting, huge strings and the shapes that make careless regexes backtrack.
/// </summary>
internal static class FuzzInputs
{
    private static readonly string[] Fields = ["request_id", "requestId", "log_id", "logId", "log_content", "logContent", "service_name", "serviceName", "environment", "correlation_id", "correlationId", "priority", "callback_topic", "callbackTopic", "timestamp", "metadata", "analysis_type"];

    /// <summary>Any UTF-16 code unit, lone surrogates and C0/C1 controls included.</summary>
    public static readonly Gen<char> AnyChar = Gen.Frequency(
        (6, Gen.Char['\u0020', '\u007e']),
        (2, Gen.Char['\u0000', '\u001f']),
        (1, Gen.Char['\u0080', '\u00ff']),
        (1, Gen.Char['\ud800', '\udfff']),
        (2, Gen.Char['\u0100', '\uffff']));

    public static readonly Gen<string> AnyString = Gen.String[AnyChar, 0, 200];

    /// <summary>Inputs that make backtracking regexes explode: long runs and near-misses of secret, URL, e-mail, stack-frame and key=value shapes.</summary>
    public static readonly Gen<string> Pathological = Gen.OneOf(
        Gen.Int[1_000, 60_000].Select(n => new string('a', n) + "!"),
        Gen.Int[1_000, 30_000].Select(n => string.Concat(Enumerable.Repeat("a@", n)) + "@"),
        Gen.Int[1_000, 20_000].Select(n => "http://" + string.Concat(Enumerable.Repeat("u:p@", n))),
        Gen.Int[1_000, 20_000].Select(n => string.Concat(Enumerable.Repeat("key=", n)) + "\u0000"),
        Gen.Int[1_000, 20_000].Select(n => "password" + string.Concat(Enumerable.Repeat(" = \"", n))),
        Gen.Int[1_000, 20_000].Select(n => string.Concat(Enumerable.Repeat("\tat a.b.", n)) + "("),
        Gen.Int[1_000, 50_000].Select(n => "eyJ" + new string('A', n) + "." + new string('B', n) + "."),
        Gen.Int[1_000, 50_000].Select(n => string.Concat(Enumerable.Repeat("4111 ", n))),
        Gen.Int[1_000, 30_000].Select(n => "-----BEGIN PRIVATE KEY-----" + string.Concat(Enumerable.Repeat("\nMII", n))),
        Gen.Int[1_000, 30_000].Select(n => string.Concat(Enumerable.Repeat("ERROR ", n)) + string.Concat(Enumerable.Repeat("Exception: ", n))),
        Gen.Int[100, 5_000].Select(n => string.Concat(Enumerable.Repeat("Caused by: java.lang.RuntimeException: ", n))),
        Gen.Int[1_000, 30_000].Select(n => string.Concat(Enumerable.Repeat("\u001b[31m", n))),
        Gen.Int[1_000, 30_000].Select(n => string.Join('\n', Enumerable.Repeat("   ", n))),
        Gen.Int[1_000, 20_000].Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n))),
        Gen.Int[1_000, 30_000].Select(n => string.Concat(Enumerable.Repeat("1.2.3.4:", n))));

    /// <summary>A realistic excerpt with random noise spliced in.</summary>
    public static readonly Gen<string> Excerpt = Gen.Select(Gen.Int[0, 3], AnyString, AnyString, (kind, a, b) => kind switch
    {
        0 => $"2026-11-26T10:00:01Z ERROR {a} Connection refused: db:5432 {b}",
        1 => $"java.lang.NullPointerException: {a}\n\tat com.acme.{b}(X.java:1)\nCaused by: {a}",
        2 => $"Traceback (most recent call last):\n  File \"{a}\", line 3, in <module>\n{b}Error: {a}",
        _ => a + "\n" + b,
    });

    /// <summary>Random JSON values, nesting up to a depth (arrays and objects).</summary>
    public static Gen<JsonNode?> Json(int depth) => depth <= 0
        ? Gen.OneOf<JsonNode?>(AnyString.Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)), Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : null)), Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)), Gen.Bool.Select(_ => (JsonNode?)null))
        : Gen.Frequency(
            (3, Json(0)),
            (1, Json(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items]))),
            (1, Gen.Select(AnyString.Array[0, 4], Json(depth - 1).Array[4], (keys, values) =>
            {
                var o = new JsonObject();
                for (var i = 0; i < keys.Length; i++)
                {
                    o[keys[i]] = values[i];
                }

                return (JsonNode?)o;
            })));

    /// <summary>A valid request, then zero or more mutations: a field removed, replaced by random JSON, renamed, or given a hostile string.</summary>
    public static readonly Gen<byte[]> MutatedRequest = Gen.Select(Excerpt, Gen.Int[0, 4], Gen.Select(Gen.Int[0, 4], Gen.Int[0, Fields.Length - 1], Json(3), AnyString).Array[0, 4], (excerpt, _, mutations) =>
    {
        var request = new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["log_id"] = 42,
            ["log_content"] = excerpt,
            ["service_name"] = "svc",
            ["environment"] = "prod",
            ["correlation_id"] = "corr",
        };
        foreach (var (kind, field, value, text) in mutations)
        {
            var name = Fields[field];
            switch (kind)
            {
                case 0: request.Remove(name); break;
                case 1: request[name] = value; break;
                case 2: request[name] = text; break;
                case 3: request[text] = value; break;
                default: request[name] = new string('x', 2_000) + text; break;
            }
        }

        return Encoding.UTF8.GetBytes(request.ToJsonString());
    });

    /// <summary>Byte-level damage to a valid request: flips, deletions, insertions of arbitrary (often invalid UTF-8) bytes.</summary>
    public static readonly Gen<byte[]> DamagedBytes = Gen.Select(MutatedRequest, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Byte).Array[1, 8], (bytes, edits) =>
    {
        var list = bytes.ToList();
        foreach (var (kind, at, b) in edits)
        {
            var i = list.Count == 0 ? 0 : at % list.Count;
            switch (kind)
            {
                case 0 when list.Count > 0: list[i] = b; break;
                case 1 when list.Count > 0: list.RemoveAt(i); break;
                default: list.Insert(i, b); break;
            }
        }

        return list.ToArray();
    });

    public static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 512];

    /// <summary>[[[[…]]]] and {"a":{"a":…}} deeper than any parser limit.</summary>
    public static readonly Gen<byte[]> DeepNesting = Gen.Select(Gen.Int[10, 5_000], Gen.Bool, (depth, arrays) =>
        Encoding.UTF8.GetBytes(arrays
            ? "{\"request_id\":" + new string('[', depth) + new string(']', depth) + "}"
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));
}
