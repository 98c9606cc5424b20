using System.Text.Json;

namespace Bifrost.FakeLlm;

/// <summary>One request as the fake server received it: protocol, raw body and the parts tests assert on.</summary>
/// <param name="Protocol"><c>ollama</c> or <c>openai</c>.</param>
public sealed record CapturedRequest(string Protocol, string Path, string RawBody, string? Authorization)
{
    private JsonElement? body;

    public JsonElement Body => body ??= JsonDocument.Parse(RawBody).RootElement.Clone();

    public string Model => Body.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";

    public IReadOnlyList<(string Role, string Content)> Messages =>
        Body.TryGetProperty("messages", out var messages)
            ? [.. messages.EnumerateArray().Select(m => (m.GetProperty("role").GetString() ?? "", ContentOf(m)))]
            : [];

    public string SystemPrompt => Messages.FirstOrDefault(m => m.Role == "system").Content ?? "";

    /// <summary>The first user message (the one holding the fenced excerpt).</summary>
    public string UserPrompt => Messages.FirstOrDefault(m => m.Role == "user").Content ?? "";

    /// <summary>The text between the fence lines of the user prompt (what the model is told is data).</summary>
    public string FencedExcerpt
    {
        get
        {
            var lines = UserPrompt.Split('\n');
            var open = Array.FindIndex(lines, l => l.StartsWith("<<<LOG ", StringComparison.Ordinal));
            if (open < 0)
            {
                return "";
            }

            var nonce = lines[open]["<<<LOG ".Length..];
            var close = Array.FindIndex(lines, open + 1, l => l == $"LOG {nonce}>>>");
            return close < 0 ? "" : string.Join('\n', lines[(open + 1)..close]);
        }
    }

    private static string ContentOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        // OpenAI allows content as a list of parts.
        return content.ValueKind == JsonValueKind.Array
            ? string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""))
            : content.GetString() ?? "";
    }
}
