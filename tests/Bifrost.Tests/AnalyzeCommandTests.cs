using Bifrost.Commands;

namespace Bifrost.Tests;

public class AnalyzeCommandTests
{
    [Fact]
    public void Run_PrintsJsonReport()
    {
        var output = new StringWriter();
        var code = AnalyzeCommand.Run("java.lang.OutOfMemoryError: Java heap space", output);
        Assert.Equal(0, code);
        Assert.Contains("\"Model\":\"bifrost-builtin/", output.ToString());
    }
}
