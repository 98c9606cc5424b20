using Bifrost.Pipeline;

namespace Bifrost.Runbooks;

/// <summary>
/// Cites the team's runbooks in each analysis: looks up the batch's sections in one go (<see cref="RunbookLookup"/>),
/// names the best one at the end of the recommendation, and stores each newly computed answer once (by lookup key and
/// time, <see cref="IRunbookStore.SaveLookupsAsync"/>): an analysis's citations are its key's answer as of its result.
/// Nothing happens while no runbook is stored.
/// </summary>
public sealed class RunbookEnricher(RunbookLookup lookup, IRunbookStore store) : IAnalysisEnricher
{
    public async ValueTask EnrichAsync(IReadOnlyList<EnrichmentItem> items, CancellationToken cancellationToken)
    {
        if (!lookup.HasSections || items.Count == 0)
        {
            return;
        }

        var found = await lookup.FindManyAsync(
            [.. items.Select(i => new RunbookLookupRequest(i.Outcome.Report.Category, i.Outcome.Report.Fingerprint, i.Submission.ServiceName, [.. i.Outcome.Report.Evidence.Select(e => e.Text)]))],
            cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < items.Count; i++)
        {
            if (found.Citations[i].Count == 0)
            {
                continue;
            }

            var item = items[i];
            var report = item.Outcome.Report;
            item.Outcome = item.Outcome with { Report = report with { Recommendation = report.Recommendation + "\n" + TeamRunbook(item.Submission.Language, found.Citations[i][0]) } };
        }

        // Stored per computed answer, not per analysis: a failure seen before costs no write at all.
        if (found.Computed.Count > 0)
        {
            await store.SaveLookupsAsync(found.Computed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The line that names the best section in the recommendation.</summary>
    public static string TeamRunbook(string language, Citation top)
    {
        ArgumentNullException.ThrowIfNull(top);
        var where = $"{top.Source}#{top.Anchor}";
        return language.StartsWith("ko", StringComparison.OrdinalIgnoreCase)
            ? $"팀 런북: “{top.Title}” ({where})."
            : $"Team runbook: “{top.Title}” ({where}).";
    }
}
