using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

public class LineTokenizerTests
{
    [Theory]
    [InlineData("session closed for user root", "session closed for user <*>")]
    [InlineData("uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4", "uid=<*> euid=<*> tty=<*> ruser= rhost=<*>")]
    [InlineData("connection from 1.2.3.4 () at Fri Jun 17 07:07:00 2005", "connection from <*> () at <*>")]
    [InlineData("Ido chip FF:F2:9F:16:E2:23:00:0D ip=10.0.0.151", "Ido chip <*> ip=<*>")]
    [InlineData("machine check: i-fetch......................0", "machine check: i-fetch......................<*>")]
    [InlineData("estimated size 5.2 KB, free 93.0 B)", "estimated size <*> free <*>")]
    [InlineData("Processing event EventType: JOB_SETUP", "Processing event EventType: JOB_SETUP")]
    [InlineData("name an14 an15 an16 an17", "name <*>")]
    public void Tokenize_MasksVariablesForMining(string line, string expected)
    {
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var count = LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining);
        Assert.Equal(expected, LineTokenizer.ToTemplate(line, buffer[..count]));
    }

    [Fact]
    public void Tokenize_ClassifiesWordsApartFromOtherTokens()
    {
        const string line = "VM Started (Lifecycle Event) at /var/x java.lang.Error";
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var count = LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining);
        var kinds = buffer[..count].ToArray().Select(t => t.Kind).ToArray();
        Assert.Equal([TokenKind.Word, TokenKind.Word, TokenKind.Word, TokenKind.Word, TokenKind.Word, TokenKind.Other, TokenKind.Other], kinds);
    }

    [Fact]
    public void Tokenize_LongTokens_AreVariables()
    {
        var line = "payload " + new string('A', 200);
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var count = LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining);
        Assert.Equal("payload <*>", LineTokenizer.ToTemplate(line, buffer[..count]));
    }
}
