using Bifrost.Api.Live;
using Bifrost.Storage;

namespace Bifrost.Tests.Api;

/// <summary>The per-client buffer: scope matching, drop-oldest, and the notice that precedes the survivors.</summary>
public sealed class LiveSubscriberTests
{
    private static StoredAnalysis Analysis(long id, string service = "svc", AnalysisStatus status = AnalysisStatus.RECEIVED) => new(
        id,
        new NewAnalysis($"r{id}", $"c{id}", id, service, "prod", "NORMAL", "error", "analysis.result", "{}", "log", AnalysisSources.Rest, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
        status, null, null, 0, null, null);

    [Fact]
    public async Task FullBuffer_DropsOldest_ThenReportsTheCountBeforeTheNewest()
    {
        var subscriber = new LiveSubscriber(capacity: 3);
        subscriber.SubscribeAll(on: true);
        for (var id = 1; id <= 10; id++) subscriber.Offer(Analysis(id));

        var notice = await subscriber.ReadAsync(CancellationToken.None);
        Assert.Null(notice!.Analysis);
        Assert.Equal(7, notice.Dropped);
        var rest = new List<long>();
        for (var i = 0; i < 3; i++) rest.Add((await subscriber.ReadAsync(CancellationToken.None))!.Analysis!.Id);
        Assert.Equal([8L, 9L, 10L], rest);
    }

    [Fact]
    public async Task OnlySubscribedScopesAreBuffered_AndCompleteEndsReading()
    {
        var subscriber = new LiveSubscriber(capacity: 10);
        subscriber.SubscribeService("payments", on: true);
        subscriber.SubscribeAnalysis(42, on: true);
        subscriber.Offer(Analysis(1, "orders"));
        subscriber.Offer(Analysis(2, "payments"));
        subscriber.Offer(Analysis(42, "orders"));
        subscriber.SubscribeService("payments", on: false);
        subscriber.Offer(Analysis(3, "payments"));
        subscriber.Complete();

        var ids = new List<long>();
        while (await subscriber.ReadAsync(CancellationToken.None) is { } item) ids.Add(item.Analysis!.Id);
        Assert.Equal([2L, 42L], ids);
    }
}
