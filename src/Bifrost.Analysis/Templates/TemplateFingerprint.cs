namespace Bifrost.Analysis.Templates;

/// <summary>
/// Stable fingerprint of a line's template: the same failure with different ids, hosts, paths, times or
/// durations gets the same fingerprint, in any process, on any machine (FNV-1a over the masked template; no
/// per-process hash seed). Stateless, so it needs no miner: it masks more aggressively than the miner
/// (<see cref="MaskingProfile.Fingerprint"/>) because a single line has nothing to be compared with.
/// </summary>
public static class TemplateFingerprint
{
    /// <summary>16 lowercase hex digits.</summary>
    public static string Of(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var tokens = buffer[..LineTokenizer.Tokenize(line, buffer, MaskingProfile.Fingerprint)];
        return LineTokenizer.TemplateHash(line, tokens).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The masked template the fingerprint is computed from (for display and debugging).</summary>
    public static string TemplateOf(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var tokens = buffer[..LineTokenizer.Tokenize(line, buffer, MaskingProfile.Fingerprint)];
        return LineTokenizer.ToTemplate(line, tokens);
    }
}
