namespace Bifrost.Analysis;

/// <summary>One recurring failure in a whole log file: every event with the same fingerprint, and what it means.</summary>
/// <param name="Count">How many events in the file had this fingerprint.</param>
/// <param name="FirstSeen">Timestamp of the first occurrence as written in the log, or <c>line N</c> when lines carry none.</param>
/// <param name="LastSeen">Same for the last occurrence.</param>
/// <param name="FirstLine">1-based line number of the first occurrence.</param>
/// <param name="Report">The analysis of the group's first event.</param>
/// <param name="Excerpt">That event's text (redacted), for re-analysis by another engine.</param>
public sealed record Incident(int Count, string FirstSeen, string LastSeen, int FirstLine, int LastLine, AnalysisReport Report, string Excerpt);
