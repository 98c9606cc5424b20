using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

public class TemplateParametersTests
{
    [Fact]
    public void Extract_ReturnsTheValuesAtEachParameter()
    {
        var miner = new TemplateMiner();
        miner.Add("Connection to db-1:5432 timed out after 30000 ms (pool=hikari-1)");
        var line = "Connection to db-7:6432 timed out after 15000 ms (pool=hikari-2)";
        var template = miner.Add(line).Template;

        Assert.Equal(["db-7:6432", "15000 ms", "hikari-2)"], TemplateParameters.Extract(template, line));
    }

    [Fact]
    public void Extract_LineOfAnotherShape_ReturnsNothing()
    {
        Assert.Empty(TemplateParameters.Extract("Got assigned task <*>", "Got assigned task 7 now"));
    }
}
