using Bifrost.Analysis;
using Bifrost.Llm;

namespace Bifrost.Tests.Llm;

/// <summary>Published confidence combines the model's self-report with agreement between model and engine.</summary>
public class LlmConfidenceTests
{
    private static AnalysisReport Builtin(string category, double confidence) =>
        new("s", "r", "rec", Severity.HIGH, confidence, category, "fp", [], "bifrost-builtin/1.0");

    [Fact]
    public void Agreement_RaisesConfidence_AboveEitherSignal()
    {
        var combined = LlmReportMerger.Combine(0.7, "resource.memory", Builtin("resource.memory", 0.6));
        Assert.True(combined > 0.7);
        Assert.True(combined <= 0.99);
    }

    [Fact]
    public void Disagreement_WithAConfidentEngine_LowersConfidence()
    {
        var agree = LlmReportMerger.Combine(0.8, "resource.memory", Builtin("resource.memory", 0.9));
        var disagree = LlmReportMerger.Combine(0.8, "network.timeout", Builtin("resource.memory", 0.9));
        var alone = LlmReportMerger.Combine(0.8, "network.timeout", Builtin("unknown", 0.2));
        Assert.True(disagree < alone);
        Assert.True(alone < agree);
    }

    [Fact]
    public void SelfReport_IsUsed_NotAConstant()
    {
        var low = LlmReportMerger.Combine(0.3, "network.dns", Builtin("unknown", 0.2));
        var high = LlmReportMerger.Combine(0.9, "network.dns", Builtin("unknown", 0.2));
        Assert.True(high > low);
        Assert.True(high < 0.9); // self-reports are discounted
    }

    [Fact]
    public void EnginesCategoryPublished_KeepsTheEnginesConfidence()
    {
        Assert.Equal(0.42, LlmReportMerger.Combine(0.95, null, Builtin("database.deadlock", 0.42)));
    }
}
