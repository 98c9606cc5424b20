using System.Text.Json;
using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

public class TemplateMinerTests
{
    [Fact]
    public void Add_SameMessageWithDifferentNumbers_JoinsOneTemplate()
    {
        var miner = new TemplateMiner();
        var first = miner.Add("Connection to db-1:5432 timed out after 30000 ms");
        var second = miner.Add("Connection to db-7:5433 timed out after 15000 ms");

        Assert.Equal(TemplateChange.Created, first.Change);
        Assert.Equal(first.ClusterId, second.ClusterId);
        Assert.Equal("Connection to <*> timed out after <*>", second.Template);
    }

    [Fact]
    public void Add_LinesDifferingOnlyInAWord_StayApart()
    {
        var miner = new TemplateMiner();
        var started = miner.Add("[instance: 9f1c] VM Started (Lifecycle Event)");
        var paused = miner.Add("[instance: 77aa] VM Paused (Lifecycle Event)");

        Assert.NotEqual(started.ClusterId, paused.ClusterId);
        Assert.Equal(2, miner.Count);
    }

    [Fact]
    public void Add_DifferentPathsInOnePosition_GeneralizesTheTemplate()
    {
        var miner = new TemplateMiner();
        miner.Add("Deleting instance files /var/lib/nova/a_del");
        var result = miner.Add("Deleting instance files /srv/nova/b_del");

        Assert.Equal(TemplateChange.Generalized, result.Change);
        Assert.Equal("Deleting instance files <*>", result.Template);
    }

    [Fact]
    public void Add_RepeatedLine_ReportsNoChange()
    {
        var miner = new TemplateMiner();
        miner.Add("Interrupted while waiting for message on queue");
        var again = miner.Add("Interrupted while waiting for message on queue");

        Assert.Equal(TemplateChange.None, again.Change);
        Assert.Empty(again.Absorbed);
    }

    [Fact]
    public void Add_NameLikeFirstTokens_CanBeParameters()
    {
        var miner = new TemplateMiner();
        var chrome = miner.Add("chrome.exe - www.example.com:443 open through proxy proxy.example.com:5070 HTTPS");
        var firefox = miner.Add("firefox.exe - api.example.org:443 open through proxy proxy.example.com:5070 HTTPS");

        Assert.Equal(chrome.ClusterId, firefox.ClusterId);
        Assert.Equal("<*> - <*> open through proxy <*> HTTPS", firefox.Template);

        var restored = new TemplateMiner(miner.Snapshot());
        Assert.Equal(chrome.ClusterId, restored.Add("opera.exe - x.example.net:80 open through proxy proxy.example.com:5070 HTTPS").ClusterId);
    }

    [Fact]
    public void Add_ThreadNamesInBrackets_DoNotSplitTemplates()
    {
        var miner = new TemplateMiner();
        var main = miner.Add("INFO [main] Started job scheduler in 5 ms");
        var worker = miner.Add("INFO [dispatcher] Started job scheduler in 7 ms");

        Assert.Equal(main.ClusterId, worker.ClusterId);
        Assert.Equal("INFO <*> Started job scheduler in <*>", worker.Template);
    }

    [Fact]
    public void Add_DifferentFirstWords_StayApart()
    {
        var miner = new TemplateMiner();
        Assert.NotEqual(miner.Add("cupsd startup succeeded").ClusterId, miner.Add("syslogd startup succeeded").ClusterId);
    }

    [Fact]
    public void Add_NameAfterUser_IsAParameter()
    {
        var miner = new TemplateMiner();
        var cyrus = miner.Add("session opened for user cyrus by (uid=0)");
        var news = miner.Add("session opened for user news by (uid=9)");

        Assert.Equal(cyrus.ClusterId, news.ClusterId);
        Assert.Equal("session opened for user <*> by (uid=<*>", news.Template);
    }

    [Fact]
    public void Add_DifferentKeys_StayApart()
    {
        var miner = new TemplateMiner();
        var plain = miner.Add("session opened for user root by (uid=0)");
        var login = miner.Add("session opened for user root by LOGIN(uid=0)");

        Assert.NotEqual(plain.ClusterId, login.ClusterId);
    }

    [Fact]
    public void Add_WhenATemplateGeneralizesOverAnother_AbsorbsItAndReportsTheId()
    {
        var miner = new TemplateMiner();
        var a = miner.Add("sync a/b c/d e/f done");
        var b = miner.Add("sync g/h i/j k/l done"); // agrees on 2 of 5 constants: a template of its own
        Assert.NotEqual(a.ClusterId, b.ClusterId);

        miner.Add("sync a/b c/d x/y done");
        miner.Add("sync a/b z/z q/q done");
        var last = miner.Add("sync m/m c/d q/q done"); // "sync <*> <*> <*> done" now covers b's template

        Assert.Equal(a.ClusterId, last.ClusterId);
        Assert.Equal([b.ClusterId], last.Absorbed);
        var resolver = new TemplateIdResolver();
        resolver.Record(last);
        Assert.Equal(a.ClusterId, resolver.Resolve(b.ClusterId));
        var only = Assert.Single(miner.Templates());
        Assert.Equal(5, only.Count);
        Assert.Equal("sync <*> <*> <*> done", only.Template);
    }

    [Fact]
    public void Add_MoreTemplatesThanCapacity_EvictsLeastRecentlyUsed()
    {
        var miner = new TemplateMiner(new TemplateMinerOptions { MaxClusters = 3 });
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
        var keep = miner.Add("keep this template around");
        foreach (var word in words)
        {
            miner.Add($"{word} happened here");
            miner.Add("keep this template around");
            Assert.True(miner.Count <= 3);
        }

        var templates = miner.Templates();
        Assert.Equal(3, templates.Count);
        Assert.Contains(templates, t => t.Id == keep.ClusterId);
        Assert.Contains(templates, t => t.Template == "hotel happened here");
        Assert.DoesNotContain(templates, t => t.Template == "alpha happened here");
    }

    [Fact]
    public void Add_AfterEviction_StartsAFreshTemplateWithANewId()
    {
        var miner = new TemplateMiner(new TemplateMinerOptions { MaxClusters = 1 });
        var first = miner.Add("disk full on node");
        miner.Add("other message entirely");
        var again = miner.Add("disk full on node");

        Assert.NotEqual(first.ClusterId, again.ClusterId);
        Assert.Equal(TemplateChange.Created, again.Change);
    }

    [Fact]
    public void Snapshot_RoundTripThroughJson_ContinuesExactlyLikeTheOriginal()
    {
        var lines = new[]
        {
            "Received block blk_1 of size 67108864 from /10.0.0.1",
            "Received block blk_2 of size 1024 from /10.0.0.2",
            "PacketResponder 1 for block blk_3 terminating",
            "Verification succeeded for blk_4",
            "Deleting block blk_5 file /mnt/data/blk_5",
        };
        var original = new TemplateMiner(new TemplateMinerOptions { MaxClusters = 3 });
        foreach (var line in lines)
        {
            original.Add(line);
        }

        var json = JsonSerializer.Serialize(original.Snapshot());
        var restored = new TemplateMiner(JsonSerializer.Deserialize<TemplateMinerSnapshot>(json)!, new TemplateMinerOptions { MaxClusters = 3 });

        Assert.Equal(original.Templates(), restored.Templates());
        var next = new[] { "Received block blk_9 of size 1 from /10.0.0.9", "New message kind here", "Another new kind here" };
        foreach (var line in next)
        {
            Assert.Equal(original.Add(line).ClusterId, restored.Add(line).ClusterId);
        }

        Assert.Equal(original.Templates(), restored.Templates());
    }

    [Fact]
    public void Snapshot_RestoredWithASmallerCapacity_KeepsTheMostRecentTemplates()
    {
        var original = new TemplateMiner();
        foreach (var word in new[] { "alpha", "bravo", "charlie" })
        {
            original.Add($"{word} happened here");
        }

        var restored = new TemplateMiner(original.Snapshot(), new TemplateMinerOptions { MaxClusters = 2 });

        Assert.Equal(["bravo happened here", "charlie happened here"], restored.Templates().Select(t => t.Template).Order(StringComparer.Ordinal));
        Assert.Equal(4, restored.Add("delta happened here").ClusterId);
    }

    [Fact]
    public void Snapshot_WithMismatchedTokensAndKinds_IsRejected()
    {
        var snapshot = new TemplateMinerSnapshot(TemplateMinerSnapshot.CurrentVersion, 2, [new TemplateClusterSnapshot(1, ["a", "b"], [TokenKind.Word], 1)]);
        Assert.Throws<ArgumentException>(() => new TemplateMiner(snapshot));
    }

    [Fact]
    public void Snapshot_OfUnknownVersion_IsRejected()
    {
        var snapshot = new TemplateMinerSnapshot(99, 1, []);
        Assert.Throws<ArgumentException>(() => new TemplateMiner(snapshot));
    }

    [Fact]
    public void Add_FromManyThreads_CountsEveryLineAndAgreesOnTemplates()
    {
        var miner = new TemplateMiner();
        const int perKind = 5_000;
        var kinds = new[] { "Connection reset by peer {0}", "Reading broadcast variable {0} took {0} ms", "Found block rdd_{0} locally", "Got assigned task {0}" };
        var ids = new long[kinds.Length * perKind];

        Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            ids[i] = miner.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, kinds[i % kinds.Length], i)).ClusterId;
        });

        var templates = miner.Templates();
        Assert.Equal(kinds.Length, templates.Count);
        Assert.Equal(ids.Length, templates.Sum(t => t.Count));
        for (var k = 0; k < kinds.Length; k++)
        {
            Assert.Single(Enumerable.Range(0, perKind).Select(j => ids[(j * kinds.Length) + k]).Distinct());
        }
    }

    [Fact]
    public void Add_TenMegabyteLine_IsBoundedToMaxTokens()
    {
        var miner = new TemplateMiner();
        var huge = string.Join(' ', Enumerable.Repeat("word", 2_000_000)) + new string('x', 2_000_000);
        var result = miner.Add(huge);

        Assert.Equal(LineTokenizer.MaxTokens, result.Template.Split(' ').Length);
        Assert.True(result.Template.Length < 4_000);
    }

    [Fact]
    public void Add_EmptyLine_HasItsOwnTemplate()
    {
        var miner = new TemplateMiner();
        var empty = miner.Add("   ");
        Assert.Equal(string.Empty, empty.Template);
        Assert.Equal(empty.ClusterId, miner.Add(string.Empty).ClusterId);
    }
}
