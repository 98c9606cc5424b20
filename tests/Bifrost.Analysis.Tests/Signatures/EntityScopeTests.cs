using System.Text.RegularExpressions;
using Bifrost.Analysis.Explanation;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Tests;

/// <summary>
/// The engine extracts only the entities the winning category's explanation reads (<see cref="Explainer.EntitiesNeeded"/>);
/// these tests pin that this never changes an explanation.
/// </summary>
public partial class EntityScopeTests
{
    [Theory]
    [MemberData(nameof(FailureSamples.All), MemberType = typeof(FailureSamples))]
    public void Explanation_FromTheNeededEntities_EqualsTheOneFromAllEntities(string category, string excerpt)
    {
        var log = Normalizer.Normalize(excerpt);
        var all = Classifier.Classify(log, "production");
        var scoped = Classifier.Classify(log, "production", Explainer.EntitiesNeeded);
        Assert.Equal(category, scoped.Category);
        var deciding = log.Events[scoped.DecidingEvent];
        foreach (var language in (string[])["en", "ko"])
        {
            Assert.Equal(Explainer.Explain(all, deciding, "orders-api", language), Explainer.Explain(scoped, deciding, "orders-api", language));
            Assert.Equal(Explainer.Explain(all, deciding, null, language), Explainer.Explain(scoped, deciding, null, language));
        }
    }

    [Fact]
    public void KubeletPodName_IsReadAsNamespaceSlashName()
    {
        var e = EntityExtractor.Extract("kubelet[812]: E0605 pod_workers.go:951] Back-off restarting failed container api in pod api-7d9f6c_payments(0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0)");
        Assert.Equal("payments/api-7d9f6c", e.Pod);
    }

    [Theory]
    [InlineData("메모리 제한(현재 512Mi)을(를) 늘리세요", "메모리 제한(현재 512Mi)을 늘리세요")]
    [InlineData("커넥션(누수)이(가) 원인입니다", "커넥션(누수)이 원인입니다")]
    [InlineData("orders-db:5432(으)로 연결", "orders-db:5432로 연결")]
    public void KoreanParticle_AfterAParenthetical_FollowsTheWordBeforeIt(string text, string expected)
    {
        Assert.Equal(expected, KoreanParticles.Resolve(text));
    }

    [Fact]
    public void EveryPlaceholder_InEveryCategoryText_NamesAnEntityTheServiceOrTheFrame()
    {
        var categories = SignatureTable.All.Select(s => s.Category).Append("unknown").Distinct(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            var text = CategoryTexts.For(category);
            foreach (var lang in (LangText[])[text.En, text.Ko])
            {
                foreach (var template in (string[])[lang.Summary, lang.Cause, .. lang.Steps])
                {
                    foreach (Match placeholder in Placeholder().Matches(template))
                    {
                        var name = placeholder.Groups[1].Value;
                        // {svc} is the request's service; {frame} comes from the stack trace (Diagnosis), not from an entity
                        var notEntity = name is "svc" or "frame";
                        Assert.True(notEntity || Slots.FieldOf(name) != EntityFields.None, $"{category}: unknown placeholder {{{name}}} in \"{template}\"");
                        Assert.True(notEntity || Explainer.EntitiesNeeded(category).HasFlag(Slots.FieldOf(name)), $"{category}: {{{name}}} is not extracted");
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
