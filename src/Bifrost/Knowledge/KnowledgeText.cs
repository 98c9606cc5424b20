using System.Collections.Frozen;

namespace Bifrost.Knowledge;

/// <summary>
/// How runbook text and log text become comparable words, the same way on both sides: split at everything that is
/// not a letter or digit (so <c>java.lang.OutOfMemoryError</c> → java, lang, outofmemoryerror and
/// <c>max_connections</c> → max, connections), lower-cased, with a light suffix strip so "connections" meets
/// "connection". The stores' own full-text search (PostgreSQL <c>english</c>, SQLite FTS5 <c>porter</c>) is only asked for
/// candidates; this is what scores them, identically for both stores.
/// </summary>
public static class KnowledgeText
{
    /// <summary>English function words and the words every log line or stack trace has, which say nothing about the failure.</summary>
    private static readonly FrozenSet<string> Noise = new[]
    {
        "the", "and", "for", "with", "was", "were", "are", "is", "be", "been", "not", "but", "has", "have", "had", "this", "that",
        "these", "those", "from", "into", "onto", "over", "under", "after", "before", "when", "while", "then", "than", "there",
        "their", "them", "they", "its", "it", "our", "your", "you", "can", "could", "would", "should", "will", "may", "might",
        "must", "any", "all", "some", "one", "two", "per", "via", "see", "use", "using", "used", "only", "also", "more", "most",
        "other", "another", "such", "each", "out", "off", "too", "very", "which", "what", "who", "how", "why", "where", "does",
        "did", "done", "yes", "got", "get", "set", "let", "new", "now", "just", "same", "usually", "often",
        // log and stack-trace scaffolding
        "error", "errors", "exception", "exceptions", "warn", "warning", "info", "debug", "trace", "fatal", "critical", "fail",
        "failed", "failure", "failing", "caused", "cause", "java", "lang", "com", "org", "net", "util", "internal", "main",
        "thread", "line", "file", "files", "traceback", "recent", "call", "calls", "last", "during", "handling", "above",
        "occurred", "python", "site", "packages", "dist", "lib", "usr", "local", "app", "src", "node", "modules", "base",
        "native", "method", "invoke", "run", "runs", "running", "class", "object", "value", "values", "true", "false",
        "level", "msg", "message", "time", "logger", "log", "logs", "exec", "nio", "http", "https", "www", "example",
        "request", "requests", "response", "service", "services", "server", "client", "process", "task", "job", "data",
        "result", "code", "status", "default", "version", "handler", "context", "system", "microsoft", "apache",
        "springframework", "impl", "std", "core", "common", "api", "int", "string", "async", "await", "anon", "user",
        "redacted", "unknown", "unexpected", "unhandled", "see", "check", "please", "details", "detail", "reason",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every word of <paramref name="text"/>, lower-cased and suffix-stripped, noise words included (for section texts).</summary>
    public static HashSet<string> StemSet(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            set.Add(Stem(word));
        }

        return set;
    }

    /// <summary>The words of <paramref name="text"/>: maximal runs of letters/digits, lower-cased, in order.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    /// <summary>
    /// The words that can say something about a failure: no noise words, nothing shorter than 3 characters, no numbers
    /// and no ids (words with digits in them, except short technical names like x509 or k8s). In order, with repeats.
    /// </summary>
    public static IEnumerable<string> Informative(string text)
    {
        foreach (var word in Words(text))
        {
            if (IsInformative(word))
            {
                yield return word;
            }
        }
    }

    public static bool IsInformative(string word)
    {
        if (word.Length < 3 || word.Length > 40 || Noise.Contains(word))
        {
            return false;
        }

        var digits = 0;
        foreach (var c in word)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
        }

        // "x509", "k8s", "s3" are names; "8f1c2a", "2024", "0x7f" are ids, hashes and numbers.
        return digits == 0 || (digits < word.Length && word.Length <= 4 && char.IsLetter(word[0]));
    }

    /// <summary>A light English suffix strip (plural, -ing, -ed); the same on both sides is what matters.</summary>
    public static string Stem(string word)
    {
        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            return word[..^3];
        }

        if (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    /// <summary>A category as one index token ("database.pool_exhausted" → "catdatabasepoolexhausted"); empty for none.</summary>
    public static string CategoryToken(string? category) =>
        category is null ? "" : "cat" + new string([.. category.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>The text a store indexes for full-text search: its words separated by spaces (dots, underscores and slashes become word breaks in both stores).</summary>
    public static string ForIndex(string text) => string.Join(' ', Words(text));
}
