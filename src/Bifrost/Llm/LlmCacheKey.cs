using System.Security.Cryptography;
using System.Text;
using Bifrost.Analyzers;

namespace Bifrost.Llm;

/// <summary>
/// What an LLM answer may be reused for. It used to be the template fingerprint alone: one crafted excerpt with the
/// fingerprint of a real failure (the same error line, plus lines telling the model what to recommend) set the
/// cached answer for every later real occurrence. Now the key is the whole excerpt with only numbers and hex ids
/// masked — the parts that differ between occurrences of one failure (times, ports, durations, addresses, UUIDs,
/// hashes) and that can carry no instruction — so any other text is another key. It is also per caller (one API key
/// cannot seed another's answers; Kafka is one caller), per service, environment, model and language (the answer
/// names the service and its severity depends on the environment), and entries expire (<c>ai.cache_ttl_seconds</c>).
/// </summary>
internal static class LlmCacheKey
{
    public static string Of(AnalyzerRequest request, string fingerprint, string model)
    {
        ArgumentNullException.ThrowIfNull(request);
        var excerpt = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(MaskVariables(request.LogContent))));
        return string.Join('\u001f', request.Caller, fingerprint, excerpt, request.ServiceName, request.Environment, model, request.Language);
    }

    /// <summary>
    /// Every word of letters, digits and hyphens that is all hex with at least one digit (<c>10</c>, <c>5432</c>,
    /// <c>7f3e2a10</c>, a whole UUID) becomes <c>0</c>; in other words each digit run becomes <c>0</c>
    /// (<c>pod-xk2lp</c> → <c>pod-xk0lp</c>). Letters are kept, so no instruction can hide in what is masked.
    /// </summary>
    internal static string MaskVariables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                masked.Append(text[i++]);
                continue;
            }

            var start = i;
            var digits = false;
            var hex = true;
            for (; i < text.Length && IsWordChar(text[i]); i++)
            {
                digits |= char.IsAsciiDigit(text[i]);
                hex &= char.IsAsciiHexDigit(text[i]) || text[i] == '-';
            }

            if (digits && hex)
            {
                masked.Append('0');
                continue;
            }

            for (var j = start; j < i; j++)
            {
                if (!char.IsAsciiDigit(text[j])) masked.Append(text[j]);
                else if (j == start || !char.IsAsciiDigit(text[j - 1])) masked.Append('0');
            }
        }

        return masked.ToString();
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
