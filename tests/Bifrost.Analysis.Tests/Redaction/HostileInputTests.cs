using Bifrost.Analysis.Redaction;

namespace Bifrost.Analysis.Tests.Redaction;

/// <summary>
/// Redaction is linear on hostile input. Instead of timing anything, each test counts the characters the scanners
/// examine (<see cref="Scan.Work"/>) on a generated 512 KiB and 1 MiB flood of what a pass anchors on, and asserts
/// the work is within a small constant of the input length and doubles (not quadruples) with it. The flood of
/// "-----BEGIN " is the one that was quadratic (issue 14: 3.4 s of CPU for 1 MiB).
/// </summary>
public class HostileInputTests
{
    private const int MiB = 1 << 20;
    private const int MaxWorkPerChar = 32; // a quadratic scan examines ~10⁵ characters per character at this size

    public static TheoryData<string, string> Floods() => new()
    {
        { "pem-begin", "-----BEGIN " },
        { "pem-begin-newline-free", "-----BEGIN X" },
        { "pem-private-no-end", "-----BEGIN RSA PRIVATE KEY-----\nMIIE" },
        { "ssh2-begin", "---- BEGIN " },
        { "putty", "Private-Lines: 1\n" },
        { "scheme", "://" },
        { "userinfo-no-at", "a://b:c" },
        { "userinfo-at", "a://b:c@" },
        { "userinfo-slash", "s://u:p/" },
        { "webhook", "hooks.slack.com/services/" },
        { "jwt-head", "eyJ" },
        { "jwt-dots", "eyJabcdefgh." },
        { "aws", "AKIA" },
        { "aws-bounded", "-AKIA" },
        { "github", "ghp_" },
        { "openai", "-sk-" },
        { "sendgrid", " SG." },
        { "azure", "1Q~" },
        { "telegram", "12345678:AA" },
        { "bfk", "bfk_-" },
        { "key-assign", "password=" },
        { "key-space", "--password " },
        { "key-word", "key" },
        { "key-colon", "token: " },
        { "key-quote", "\"secret\":\"" },
        { "key-xml", "<password>" },
        { "authorization", "Authorization: " },
        { "bearer", "bearer " },
        { "basic", "basic " },
        { "cookie", "cookie:" },
        { "api-key-header", "x-api-key=" },
        { "cli", "curl -u " },
        { "mysql", "mysql -p" },
        { "at", "@" },
        { "email-local", "a@" },
        { "email-domain", "a.b@c" },
        { "digits", "4" },
        { "digit-groups", "4 " },
        { "digit-dashes", "4-" },
        { "digit-dots", "4." },
        { "phone-kr", "010-" },
        { "phone-plus", "+8" },
        { "phone-paren", "(4" },
        { "placeholder", "<redacted:" },
        { "base64", "Zq8pL2vX9mK4nB6cF3hJ7wY1tR5sA0eG2iK+/" },
    };

    [Theory]
    [MemberData(nameof(Floods))]
    public void Redact_Flood_WorkIsLinear(string name, string unit)
    {
        var small = Work(Flood(unit, MiB / 2));
        var large = Work(Flood(unit, MiB));
        Assert.True(large <= (long)MaxWorkPerChar * MiB, $"{name}: {large / (double)MiB:0.0} characters examined per input character at 1 MiB");
        Assert.True(large <= (2.5 * small) + (MiB / 2), $"{name}: work grew from {small:N0} to {large:N0} when the input doubled");
    }

    [Fact]
    public void Redact_LongRunsOfKeyCharacters_AreNotKeys()
    {
        // The tail of a 10 MB key-character run is not a key name: nothing to mask, nothing re-read.
        var text = string.Concat(Enumerable.Repeat("a_", 5_000_000)) + "password=x";
        Assert.True(Work(text) <= MaxWorkPerChar * (long)text.Length);
    }

    [Fact]
    public void Redact_BeginFlood_MasksNothingAndReadsEachMarkerOnce()
    {
        var flood = Flood("-----BEGIN ", MiB);
        Scan.Work = 0;
        Assert.Equal(flood, Redactor.Redact(flood));
        Assert.True(Scan.Work <= 8L * flood.Length, $"{Scan.Work:N0} characters examined for {flood.Length:N0}");
    }

    private static string Flood(string unit, int length) =>
        string.Create(length, unit, static (span, u) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = u[i % u.Length];
            }
        });

    private static long Work(string text)
    {
        Scan.Work = 0;
        var redacted = Redactor.Redact(text);
        Assert.NotNull(redacted);
        return Scan.Work;
    }
}
