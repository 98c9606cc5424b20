using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

public class TemplateIdResolverTests
{
    [Fact]
    public void Resolve_FollowsChainsOfMerges()
    {
        var resolver = new TemplateIdResolver();
        resolver.Record(new MiningResult(2, "t", TemplateChange.Generalized, [1]));
        resolver.Record(new MiningResult(3, "t", TemplateChange.Generalized, [2]));

        Assert.Equal(3, resolver.Resolve(1));
        Assert.Equal(3, resolver.Resolve(2));
        Assert.Equal(3, resolver.Resolve(3));
        Assert.Equal(4, resolver.Resolve(4));
    }
}
