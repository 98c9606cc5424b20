namespace Bifrost.Analysis;

/// <summary>Impact grades from the taxonomy; the names are the wire values.</summary>
#pragma warning disable CA1707, CA1008 // the member names are the contract's wire values
public enum Severity
{
    LOW = 0,
    MEDIUM = 1,
    HIGH = 2,
    CRITICAL = 3,
}
#pragma warning restore CA1707, CA1008
