namespace Bifrost.Analysis.Templates;

/// <summary>FNV-1a 64-bit over UTF-16 code units: stable across processes and platforms (unlike <see cref="string.GetHashCode()"/>),
/// cheap enough to run over every character of every line.</summary>
internal static class Fnv
{
    public const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Append(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    public static ulong Append(ulong hash, char c) => (hash ^ c) * Prime;

    public static ulong Append(ulong hash, long value) => ((hash ^ (ulong)value) * Prime) ^ ((ulong)value >> 32);

    /// <summary>Hash of one token as template text (a variable hashes as its kept prefix followed by <c>&lt;*&gt;</c>).</summary>
    public static ulong AppendToken(ulong hash, string line, in LineToken token) => token.Kind == TokenKind.Variable
        ? Append(Append(hash, line.AsSpan(token.Start, token.KeepLength)), LineToken.Wildcard)
        : Append(hash, line.AsSpan(token.Start, token.Length));
}
