using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Signatures;

/// <summary>How strong a piece of evidence is: a named exception type says more than a keyword in a message.</summary>
public enum EvidenceKind
{
    /// <summary>A weak hint (a generic word, a wrapper type); decides only when nothing better is present.</summary>
    Hint,
    /// <summary>An HTTP/gRPC status code.</summary>
    StatusCode,
    /// <summary>A phrase the framework writes for exactly this failure.</summary>
    Message,
    /// <summary>A fully qualified or unambiguous exception/error type name.</summary>
    ExceptionType,
}

/// <summary>
/// One failure signature: all <see cref="Needles"/> (lower-case, ordinal) must occur in a line, and
/// <see cref="Pattern"/>, when set, must match it. <see cref="SeverityHint"/> overrides the category's base severity.
/// </summary>
public sealed record Signature(string Category, EvidenceKind Kind, string[] Needles, Regex? Pattern, double Weight, Severity? SeverityHint, string Source)
{
    /// <summary>The pattern runs on the line as written (e.g. upper-case environment variable names), not lower-cased.</summary>
    public bool CaseSensitive { get; init; }

    public static double DefaultWeight(EvidenceKind kind) => kind switch
    {
        EvidenceKind.ExceptionType => 3.0,
        EvidenceKind.Message => 2.2,
        EvidenceKind.StatusCode => 1.6,
        _ => 1.0,
    };
}
