using System.Text;

namespace Bifrost.Runbooks;

/// <summary>
/// Splits a markdown runbook into sections at its ATX headings (<c>#</c> … <c>######</c>, not inside fenced code).
/// A document with a single top-level heading treats it as the document's title: sections are titled by the headings
/// below it. Text before the first heading, and under a heading with sub-headings, is a section of its own when it
/// has text. A heading with no text of its own (only sub-headings) gives no section.
/// </summary>
public static class RunbookMarkdown
{
    public static IReadOnlyList<RunbookSectionDraft> Split(string markdown, string fallbackTitle)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headings = new List<(int Line, int Level, string Text)>();
        var fence = (string?)null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                var marker = trimmed[..3];
                fence = fence is null ? marker : fence == marker ? null : fence;
                continue;
            }

            if (fence is null && Heading(lines[i]) is { } h)
            {
                headings.Add((i, h.Level, h.Text));
            }
        }

        // One top-level heading = the document's title, not a section path element.
        var topLevel = headings.Count == 0 ? 0 : headings.Min(h => h.Level);
        var documentTitle = headings.Count(h => h.Level == topLevel) == 1 ? headings.First(h => h.Level == topLevel) : ((int Line, int Level, string Text)?)null;

        var sections = new List<RunbookSectionDraft>();
        var path = new List<(int Level, string Text)>();
        var anchors = new Dictionary<string, int>(StringComparer.Ordinal);
        void Emit(string title, int from, int to)
        {
            var body = Body(lines, from, to);
            if (body.Length == 0)
            {
                return;
            }

            var slug = Slug(title.Contains(" › ", StringComparison.Ordinal) ? title[(title.LastIndexOf(" › ", StringComparison.Ordinal) + 3)..] : title);
            var n = anchors.TryGetValue(slug, out var seen) ? seen + 1 : 0;
            anchors[slug] = n;
            sections.Add(new RunbookSectionDraft(sections.Count, title, n == 0 ? slug : $"{slug}-{n}", body));
        }

        var firstTitle = documentTitle?.Text ?? fallbackTitle;
        Emit(firstTitle, 0, headings.Count > 0 ? headings[0].Line : lines.Length);
        for (var k = 0; k < headings.Count; k++)
        {
            var (line, level, text) = headings[k];
            while (path.Count > 0 && path[^1].Level >= level)
            {
                path.RemoveAt(path.Count - 1);
            }

            path.Add((level, text));
            var end = k + 1 < headings.Count ? headings[k + 1].Line : lines.Length;
            if (documentTitle is { } doc && doc.Line == line)
            {
                Emit(text, line + 1, end); // the introduction under the document title
                continue;
            }

            var titlePath = path.Where(p => documentTitle is null || p.Level > documentTitle.Value.Level).Select(p => p.Text);
            Emit(string.Join(" › ", titlePath), line + 1, end);
        }

        return sections;
    }

    private static (int Level, string Text)? Heading(string line)
    {
        var level = 0;
        while (level < line.Length && level < 7 && line[level] == '#')
        {
            level++;
        }

        if (level is 0 or > 6 || (level < line.Length && line[level] != ' ' && line[level] != '\t'))
        {
            return null;
        }

        var text = line[level..].Trim().TrimEnd('#').Trim();
        return text.Length == 0 ? null : (level, text);
    }

    private static string Body(string[] lines, int from, int to)
    {
        var sb = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            sb.Append(lines[i]).Append('\n');
        }

        return sb.ToString().Trim();
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static string Slug(string heading)
    {
        var sb = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('-');
            }
        }

        return sb.Length == 0 ? "section" : sb.ToString();
    }
}
