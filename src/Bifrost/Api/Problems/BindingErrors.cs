using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bifrost.Api.Problems;

/// <summary>
/// Rewrites ASP.NET Core's and System.Text.Json's binding messages in the API's terms: a field name, the JSON type
/// expected, a position — never a .NET type, parameter declaration or reader option (issue 14: 400 bodies quoted
/// "Failed to read parameter \"AnalysisRequestBody body\"" and "could not be converted to System.Int64").
/// </summary>
internal static partial class BindingErrors
{
    /// <summary>Why a JSON body was refused, e.g. "expected an integer (line 1, column 14)".</summary>
    public static string Reason(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var message = json.Message;
        var where = json.LineNumber is { } line ? $" (line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1})" : "";
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            return "expected " + JsonKind(converted.Groups["type"].Value) + where;
        }

        // The reader's own messages ("'x' is an invalid start of a value.") say what is wrong; the rest is position.
        var end = new[] { message.IndexOf(" Path:", StringComparison.Ordinal), message.IndexOf(" LineNumber:", StringComparison.Ordinal) }
            .Where(i => i > 0).DefaultIfEmpty(message.Length).Min();
        var reason = message[..end].TrimEnd('.', ' ');
        return Internal(reason) ? "is not valid JSON for this field" + where : reason + where;
    }

    /// <summary>A query or route value that could not be bound: <c>Failed to bind parameter "int? limit" from "abc".</c></summary>
    public static (string Name, string Reason)? Parameter(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FailedToBind().Match(message) is { Success: true } bind)
        {
            var value = bind.Groups["value"].Value;
            return (bind.Groups["name"].Value, $"'{(value.Length > 64 ? value[..64] + "…" : value)}' is not {JsonKind(bind.Groups["type"].Value)}");
        }

        if (NotProvided().Match(message) is { Success: true } missing)
        {
            return missing.Groups["from"].Value == "body"
                ? ("$", "a JSON body is required (Content-Type: application/json)")
                : (missing.Groups["name"].Value, "is required");
        }

        return null;
    }

    /// <summary>Any other bad-request message, with .NET names removed.</summary>
    public static string Plain(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Internal(message) ? "the request could not be read" : message;
    }

    private static bool Internal(string text) =>
        text.Contains("System.", StringComparison.Ordinal) || text.Contains("Bifrost.", StringComparison.Ordinal)
        || text.Contains("Microsoft.", StringComparison.Ordinal) || text.Contains("parameter \"", StringComparison.Ordinal)
        || text.Contains("reader options", StringComparison.OrdinalIgnoreCase) || text.Contains("type '", StringComparison.Ordinal)
        || text.Contains("`1", StringComparison.Ordinal);

    /// <summary>The JSON (or query) value a .NET type stands for.</summary>
    private static string JsonKind(string type)
    {
        var t = type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']', '?').Replace("System.", "", StringComparison.Ordinal);
        return t.ToLowerInvariant() switch
        {
            "string" or "char" => "a string",
            "int" or "int32" or "int64" or "long" or "short" or "int16" or "uint32" or "uint64" or "byte" => "an integer",
            "double" or "single" or "float" or "decimal" => "a number",
            "bool" or "boolean" => "true or false",
            "datetimeoffset" or "datetime" => "an ISO-8601 timestamp",
            "guid" => "a UUID",
            "text.json.jsonelement" or "jsonelement" => "a JSON value",
            _ when t.EndsWith("[]", StringComparison.Ordinal) || t.Contains("List", StringComparison.Ordinal) => "an array",
            _ when t.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ => "a JSON object",
        };
    }

    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\.?(?: Path|$| LineNumber)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" was not provided from (?<from>[a-z ]+)")]
    private static partial Regex NotProvided();
}
