using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

/// <summary>Each mining rule on its own: two lines that belong to one template join with the shipped rules and
/// split with that one rule switched off (so each test shows the rule is what does it), and lines that belong to
/// different templates stay apart. The lines are written for these tests, in the shapes real logs use.</summary>
public class MiningRulesTests
{
    [Theory]
    // A duration spelled "00:01" or "<1 sec", a size with or without its unit: one position either way.
    [InlineData(nameof(MiningRules.Quantities),
        "gw.example.edu.hk:5070 close, 0 bytes sent, 12 bytes received, lifetime 00:01",
        "api.example.com:443 close, 403 bytes sent, 426 bytes received, lifetime <1 sec")]
    [InlineData(nameof(MiningRules.Quantities),
        "warm-up finished, took 2 us",
        "warm-up finished, took 00:00:03")]
    // A quoted value with a space inside is one value.
    [InlineData(nameof(MiningRules.QuotedValues),
        "acquire lock=166, flags=0x1, tag=\"View Lock\", uid=10037",
        "acquire lock=233, flags=0x1, tag=\"AudioMix\", uid=1041")]
    // Booleans and nulls are values, though they have no digit.
    [InlineData(nameof(MiningRules.ValueWords),
        "window shown: allDrawn = false, relaunching = false",
        "window shown: allDrawn = true, relaunching = false")]
    // key=value: the value is a value even when it is a word.
    [InlineData(nameof(MiningRules.KeyValues),
        "moved from=staging to=production",
        "moved from=draft to=archive")]
    // A bare domain name is a value.
    [InlineData(nameof(MiningRules.HostNames),
        "forwarded mail.example.com relay.example.org",
        "forwarded smtp.example.net www.example.edu.hk")]
    public void Rule_JoinsLinesOfOneTemplate_AndIsWhatJoinsThem(string rule, string first, string second)
    {
        var switchedOff = MiningRules.Default & ~Enum.Parse<MiningRules>(rule);

        Assert.True(SameTemplate(new TemplateMinerOptions(), first, second), "the shipped rules should join the two lines");
        Assert.False(SameTemplate(new TemplateMinerOptions { Rules = switchedOff }, first, second), $"without {rule} the lines should split");
    }

    [Theory]
    // Whichever comes first, a word does not fill a parameter that was masked for its digit.
    [InlineData("client.example.com:443 open through proxy gw.example.com:5070 SOCKS5", "client.example.com:443 open through proxy gw.example.com:5070 HTTPS")]
    [InlineData("client.example.com:443 open through proxy gw.example.com:5070 HTTPS", "client.example.com:443 open through proxy gw.example.com:5070 SOCKS5")]
    public void TypedParameters_KeepAWordOutOfANumberPosition(string first, string second)
    {
        Assert.False(SameTemplate(new TemplateMinerOptions(), first, second));
    }

    [Fact]
    public void TypedParameters_IsWhatKeepsThemApart()
    {
        var rules = MiningRules.Default & ~MiningRules.TypedParameters;
        Assert.True(SameTemplate(
            new TemplateMinerOptions { Rules = rules },
            "client.example.com:443 open through proxy gw.example.com:5070 SOCKS5",
            "client.example.com:443 open through proxy gw.example.com:5070 HTTPS"));
    }

    [Theory]
    // Sizes with a spelled-out part and without are different messages.
    [InlineData("gw.example.com:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes received, lifetime 00:02",
        "gw.example.com:5070 close, 403 bytes sent, 426 bytes received, lifetime 00:02")]
    // A quoted request line is message text: the method tells templates apart.
    [InlineData("\"GET /v2/servers/detail HTTP/1.1\" status: 200 len: 1893",
        "\"POST /v2/servers/detail HTTP/1.1\" status: 200 len: 1893")]
    public void DifferentMessages_StayApart(string first, string second)
    {
        Assert.False(SameTemplate(new TemplateMinerOptions(), first, second));
    }

    [Theory]
    [InlineData("lifetime <1 sec", "lifetime <*>")]
    [InlineData("1190 bytes (1.16 KB) sent", "<*> <*> sent")]
    [InlineData("acquire lock=7, tag=\"View Lock\", name=com.example.app, ws=null", "acquire lock=<*> tag=<*> name=<*> ws=<*>")]
    [InlineData("allDrawn= false, startingDisplayed = true", "allDrawn= <*> startingDisplayed = <*>")]
    [InlineData("logname= ruser= rhost=", "logname= ruser= rhost=")]
    [InlineData("connect to www.example.com via proxy.cs.example.edu.hk failed", "connect to <*> via <*> failed")]
    [InlineData("java.lang.Error in setup.py", "java.lang.Error in setup.py")]
    [InlineData("name=\"unterminated quote here", "name=<*> quote here")]
    [InlineData("\"GET /v2/servers HTTP/1.1\" status: 200", "\"GET <*> <*> status: <*>")]
    [InlineData("Can't open it, 'twas said", "Can't open it, 'twas said")]
    public void Tokenize_ShowsWhatTheRulesMask(string line, string expected)
    {
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var count = LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining);
        Assert.Equal(expected, LineTokenizer.ToTemplate(line, buffer[..count]));
    }

    [Fact]
    public void Tokenize_FingerprintProfile_IsUnchangedByTheMiningRules()
    {
        // Stored fingerprints must stay valid: the mining rules do not touch the fingerprint profile.
        Assert.Equal("took <*> <*>", TemplateFingerprint.TemplateOf("took 5.2 KB"));
        Assert.Equal("lifetime <*> <*>", TemplateFingerprint.TemplateOf("lifetime <1 sec"));
    }

    [Fact]
    public void WordParameter_ManyWordsInOnePosition_BecomeOneTemplate()
    {
        var miner = new TemplateMiner();
        var resolver = new TemplateIdResolver();
        string[] services = ["chargen", "daytime", "echo", "finger", "telnet", "rsync"];
        var ids = services.Select(s => resolver.Record(miner.Add($"xinetd removing service {s} now"))).ToList();

        Assert.Single(ids.Select(resolver.Resolve).Distinct());
        Assert.Equal("xinetd removing service <*> now", miner.Templates().Single().Template);
        // The position now takes any word, and still only there.
        Assert.Equal(resolver.Resolve(ids[0]), resolver.Resolve(resolver.Record(miner.Add("xinetd removing service ssh now"))));
        Assert.NotEqual(resolver.Resolve(ids[0]), miner.Add("xinetd removing service ssh later").ClusterId);
    }

    [Fact]
    public void WordParameter_AFewWordsInOnePosition_StayMessages()
    {
        // Four lifecycle events are four messages: below the evidence needed, words keep lines apart.
        var miner = new TemplateMiner();
        foreach (var e in new[] { "Started", "Paused", "Resumed", "Stopped", "Started", "Paused" })
        {
            miner.Add($"[instance: 9f1c] VM {e} (Lifecycle Event)");
        }

        Assert.Equal(4, miner.Count);
    }

    [Fact]
    public void WordParameter_FrequentWordsAreNotEvidence()
    {
        // "Started" repeats: it is the text of a message of its own, so only the four rare words count (< 5).
        var miner = new TemplateMiner();
        foreach (var e in new[] { "Started", "Started", "Started", "Paused", "Resumed", "Stopped", "Rebooted" })
        {
            miner.Add($"[instance: 9f1c] VM {e} (Lifecycle Event)");
        }

        Assert.Equal(5, miner.Count);
    }

    [Fact]
    public void WordParameter_IsWhatJoinsThem_AndSurvivesASnapshot()
    {
        string[] services = ["chargen", "daytime", "echo", "finger", "telnet"];
        var off = new TemplateMiner(new TemplateMinerOptions { WordParameterValues = 0 });
        var on = new TemplateMiner();
        foreach (var s in services)
        {
            off.Add($"xinetd removing service {s} now");
            on.Add($"xinetd removing service {s} now");
        }

        Assert.Equal(5, off.Count);
        Assert.Equal(1, on.Count);
        var restored = new TemplateMiner(on.Snapshot());
        Assert.Equal(TemplateChange.None, restored.Add("xinetd removing service ssh now").Change);
        Assert.Equal(1, restored.Count);
    }

    private static bool SameTemplate(TemplateMinerOptions options, string first, string second)
    {
        var miner = new TemplateMiner(options);
        var resolver = new TemplateIdResolver();
        var a = resolver.Record(miner.Add(first));
        var b = resolver.Record(miner.Add(second));
        return resolver.Resolve(a) == resolver.Resolve(b);
    }
}
