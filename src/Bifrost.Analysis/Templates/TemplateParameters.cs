namespace Bifrost.Analysis.Templates;

/// <summary>Reads the parameter values of a line back out of its template.</summary>
public static class TemplateParameters
{
    /// <summary>
    /// The text of <paramref name="line"/> at each <c>&lt;*&gt;</c> of <paramref name="template"/>, in order
    /// (for a <c>key=&lt;*&gt;</c> position, the value without the key). Empty when the line does not have the
    /// template's shape.
    /// </summary>
    public static IReadOnlyList<string> Extract(string template, string line)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(line);
        var positions = template.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var tokens = buffer[..LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining)];
        if (tokens.Length != positions.Length)
        {
            return [];
        }

        var values = new List<string>();
        for (var p = 0; p < positions.Length; p++)
        {
            if (!positions[p].EndsWith(LineToken.Wildcard, StringComparison.Ordinal))
            {
                continue;
            }

            var token = tokens[p];
            var key = positions[p].Length - LineToken.Wildcard.Length;
            var skip = key > 0 && key <= token.Length && line.AsSpan(token.Start, key).SequenceEqual(positions[p].AsSpan(0, key)) ? key : 0;
            values.Add(line.Substring(token.Start + skip, token.Length - skip));
        }

        return values;
    }
}
