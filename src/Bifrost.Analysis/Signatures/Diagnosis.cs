namespace Bifrost.Analysis.Signatures;

/// <summary>One line of the excerpt the explanation quotes: its 1-based number in the excerpt and its message.</summary>
public sealed record QuotedLine(int Number, string Text);

/// <summary>
/// What makes this excerpt's failure specific, beyond its category: the line that decided, a line that shows the likely
/// cause when the category is a symptom (a crash loop, a 5xx, an unhandled exception), where the process stopped, the
/// application's own frame, every target the failure reached, the competing statements of a deadlock, the heap size
/// next to the memory limit. The explanation is written from these.
/// </summary>
public sealed record Diagnosis
{
    public static readonly Diagnosis None = new();

    /// <summary>The line whose evidence decided the category.</summary>
    public QuotedLine? Deciding { get; init; }

    /// <summary>A line of another, more specific category that most likely caused the deciding symptom, with that category.</summary>
    public (QuotedLine Line, string Category)? Cause { get; init; }

    /// <summary>The line that shows the process terminating or failing to start.</summary>
    public QuotedLine? ProcessDown { get; init; }

    /// <summary>A line after the failure that shows the same thing recovering.</summary>
    public QuotedLine? Recovery { get; init; }

    /// <summary>The first frame of the application's own code (<c>file:line</c>), when the excerpt has a stack trace.</summary>
    public string? Frame { get; init; }

    /// <summary>The deciding event carries a stack trace.</summary>
    public bool HasStack { get; init; }

    /// <summary>The deciding record has a timestamp.</summary>
    public bool HasTimestamp { get; init; }

    /// <summary>Every distinct <c>host:port</c> the failing lines name (up to four), e.g. each upstream that refused.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>SQL statements the excerpt shows next to a lock failure (the competing transactions).</summary>
    public IReadOnlyList<string> Statements { get; init; } = [];

    /// <summary>A configured heap ceiling (-Xmx, --max-old-space-size), to compare with the container's memory limit.</summary>
    public string? Heap { get; init; }

    /// <summary>The systemd unit the excerpt names (<c>shop.service</c>), for its restart-loop commands.</summary>
    public string? Unit { get; init; }

    /// <summary>How many records of the excerpt show a failure.</summary>
    public int FailureEvents { get; init; }

    /// <summary>The excerpt's messages lower-cased (for the explanation's "what the log shows" checks); not for output.</summary>
    internal string Lower { get; init; } = string.Empty;
}
