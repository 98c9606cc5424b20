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
/// What to look for; the store returns candidates, <see cref="RunbookMatcher"/> decides.
/// </summary>
/// <param name="Category">The sections about this category that share any of <paramref name="Words"/> (up to
/// <see cref="SqlRunbookStore.MaxCategoryCandidates"/>; a section of the category sharing none scores 0.5 at most: below
/// any useful threshold, so not worth fetching).</param>
/// <param name="Fingerprint">Sections that name this fingerprint.</param>
/// <param name="AnyCategory">Also the best <paramref name="Limit"/> matches on <paramref name="Words"/> across all categories
/// (questions; lookups whose threshold lets another category's section through). An OR over the whole index: the costly part.</param>
public sealed record RunbookSearch(string? Category, IReadOnlyList<string> Words, string? Fingerprint = null, bool AnyCategory = false, int Limit = 5);

/// <summary>A section id the store's full-text search found, with its rank (provider-specific scale, 0 when not ranked; only breaks ties).</summary>
public sealed record RunbookHit(long SectionId, double Rank);

/// <summary>A candidate section for scoring, with the store's rank.</summary>
public sealed record RunbookCandidate(RunbookSection Section, double Rank);

/// <summary>A lookup computed (not served from the cache): stored once, it is what every analysis of the key cites until the next one.</summary>
public sealed record ComputedLookup(string Key, DateTimeOffset At, IReadOnlyList<Citation> Citations);

/// <summary>A section cited by an analysis, as stored with it (a copy: the citation outlives a re-imported runbook).</summary>
/// <param name="Score">0..1, see <see cref="RunbookMatcher"/>.</param>
/// <param name="Quote">The section's most relevant line(s), redacted, then clipped.</param>
public sealed record Citation(long SectionId, string Source, string Title, string Anchor, double Score, string Quote);
