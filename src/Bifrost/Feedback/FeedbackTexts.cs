using System.Globalization;

namespace Bifrost.Feedback;

/// <summary>How team feedback reads in an answer, in the engine's two languages.</summary>
internal static class FeedbackTexts
{
    public static string Correction(string language, string? category, string? severity, string engineCategory, string engineSeverity, string author, string ago)
    {
        var ko = IsKorean(language);
        var parts = new List<string>(2);
        var said = new List<string>(2);
        if (category is not null)
        {
            parts.Add(ko ? $"분류 {category}" : $"category {category}");
            said.Add(engineCategory);
        }

        if (severity is not null)
        {
            parts.Add(ko ? $"심각도 {severity}" : $"severity {severity}");
            said.Add(engineSeverity);
        }

        return ko
            ? $"팀 교정: {string.Join(", ", parts)} (엔진 판단: {string.Join(", ", said)}) — {author}, {ago}."
            : $"Team correction: {string.Join(", ", parts)} (the engine said {string.Join(", ", said)}), by {author}, {ago}.";
    }

    public static string LastTime(string language, string note, string author, string ago)
    {
        var text = note.Trim().TrimEnd('.');
        return IsKorean(language) ? $"지난번: {text} — {ago}, {author}." : $"Last time: {text}, {ago}, by {author}.";
    }

    /// <summary>"3 days ago" / "3일 전", rounded down; under a minute is "just now".</summary>
    public static string Ago(string language, DateTimeOffset then, DateTimeOffset now)
    {
        var ko = IsKorean(language);
        var span = now - then;
        if (span < TimeSpan.FromMinutes(1)) return ko ? "방금" : "just now";
        string N(double v) => ((long)Math.Floor(v)).ToString(CultureInfo.InvariantCulture);
        if (span < TimeSpan.FromHours(1)) return ko ? $"{N(span.TotalMinutes)}분 전" : Plural(N(span.TotalMinutes), "minute");
        if (span < TimeSpan.FromDays(1)) return ko ? $"{N(span.TotalHours)}시간 전" : Plural(N(span.TotalHours), "hour");
        return ko ? $"{N(span.TotalDays)}일 전" : Plural(N(span.TotalDays), "day");
    }

    private static string Plural(string n, string unit) => n == "1" ? $"1 {unit} ago" : $"{n} {unit}s ago";

    private static bool IsKorean(string language) => language.StartsWith("ko", StringComparison.OrdinalIgnoreCase);
}
