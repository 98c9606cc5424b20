namespace Bifrost.Runbooks;

/// <summary>A section of a runbook as read from markdown: the text under one heading.</summary>
/// <param name="Title">The heading (with its parent headings below the document title, "Parent › Child").</param>
/// <param name="Anchor">GitHub-style slug of the heading, for links (<c>databases.md#disk-full</c>).</param>
/// <param name="Category">The taxonomy category the section is about, read from the errors it quotes (null: none recognised).</param>
public sealed record RunbookSectionDraft(int Position, string Title, string Anchor, string Body, string? Category = null);

/// <summary>A stored runbook section.</summary>
public sealed record RunbookSection(
    long Id,
    string SourcePath,
    int Position,
    string Title,
    string Anchor,
    string Body,
    string? Category,
    DateTimeOffset AddedAt,
    string AddedBy);

/// <summary>A runbook file as stored: its path and how many sections it has.</summary>
public sealed record RunbookSource(string SourcePath, int Sections, DateTimeOffset AddedAt, string AddedBy);

/// <summary>What adding one file did: sections removed (the file's previous version) and stored.</summary>
public sealed record RunbookImport(string SourcePath, int Removed, int Added);

/// <summary>
/// What to look for: the analysis's category (sections about the same category are always candidates) and its
/// words. The store returns candidates; <see cref="RunbookMatcher"/> decides.
/// </summary>
public sealed record RunbookSearch(string? Category, IReadOnlyList<string> Words, int Limit = 10);

/// <summary>A section the store found, with its full-text rank (provider-specific scale; only orders candidates).</summary>
public sealed record RunbookCandidate(RunbookSection Section, double Rank);

/// <summary>A section cited by an analysis, as stored with it (a copy: the citation outlives a re-imported runbook).</summary>
/// <param name="Score">0..1, see <see cref="RunbookMatcher"/>.</param>
/// <param name="Quote">The section's most relevant line(s), redacted, then clipped.</param>
public sealed record Citation(long SectionId, string Source, string Title, string Anchor, double Score, string Quote);
