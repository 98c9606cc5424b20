using Bifrost.Analysis;

namespace Bifrost.Runbooks;

/// <summary>
/// Markdown in, sections stored: split at headings, each section's category read from the errors it quotes, stored
/// under its source path (replacing that path's previous sections). The same for the CLI, REST and tests.
/// </summary>
public sealed class RunbookImporter(IRunbookStore store, LogAnalyzer engine)
{
    public const int MaxMarkdownChars = 1_000_000;
    public const int MaxSections = 1000;
    public const int MaxSourcePathChars = 300;

    public async Task<RunbookImport> ImportAsync(string sourcePath, string markdown, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var path = NormalizePath(sourcePath);
        ArgumentNullException.ThrowIfNull(markdown);
        if (markdown.Length > MaxMarkdownChars)
        {
            throw new ArgumentException($"runbook {path} has {markdown.Length} characters; at most {MaxMarkdownChars} are accepted", nameof(markdown));
        }

        var sections = Parse(path, markdown, engine);
        if (sections.Count > MaxSections)
        {
            throw new ArgumentException($"runbook {path} has {sections.Count} sections; at most {MaxSections} are accepted", nameof(markdown));
        }

        return await store.ReplaceSourceAsync(path, sections, by, at, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sections of one markdown file, categorised (no store involved).</summary>
    public static IReadOnlyList<RunbookSectionDraft> Parse(string sourcePath, string markdown, LogAnalyzer engine) =>
        [.. RunbookMarkdown.Split(markdown, Path.GetFileNameWithoutExtension(sourcePath)).Select(s => s with { Category = SectionCategory.Of(s.Title, s.Body, engine) })];

    /// <summary>Forward slashes, no leading "./", not empty, not too long.</summary>
    public static string NormalizePath(string sourcePath)
    {
        var path = (sourcePath ?? "").Trim().Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        if (path.Length == 0)
        {
            throw new ArgumentException("a runbook needs a source path (e.g. runbooks/databases.md)", nameof(sourcePath));
        }

        if (path.Length > MaxSourcePathChars || path.Any(char.IsControl))
        {
            throw new ArgumentException($"source path must be at most {MaxSourcePathChars} printable characters", nameof(sourcePath));
        }

        return path;
    }
}
