using System.Diagnostics;
using Bifrost.Analysis;
using Bifrost.Analysis.Redaction;
using Bifrost.Analysis.Templates;
using CsCheck;
using Xunit.Abstractions;

namespace Bifrost.Tests.Fuzz;

/// <summary>
/// The built-in engine (and the redactor and fingerprint it is built from) on hostile excerpts: random text with
/// controls and lone surrogates, regex-pathological shapes, a 10 MB single line. Every call must return a
/// well-formed report. The time bound is a hang detector (catastrophic backtracking takes minutes), not a speed test.
/// </summary>
public sealed class EngineFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);
    private readonly LogAnalyzer _engine = new();

    [Fact]
    public void RandomText_AlwaysGivesAWellFormedReport() => Check("random text", FuzzInputs.AnyString, 3_000);

    [Fact]
    public void RealisticExcerptsWithNoise_AlwaysGiveAWellFormedReport() => Check("noisy excerpts", FuzzInputs.Excerpt, 2_000);

    [Fact]
    public void RegexPathologicalShapes_FinishWithinTheHangBound() => Check("regex-pathological excerpts", FuzzInputs.Pathological, 150);

    [Fact]
    public void TenMegabyteSingleLine_FinishesWithinTheHangBound()
    {
        var random = new Random(7);
        var line = string.Create(10 * 1024 * 1024, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next(0x20, 0x7f);
            }
        });
        Check("10 MB single lines", Gen.OneOf(Gen.Const(line), Gen.Const("ERROR " + new string('a', 10 * 1024 * 1024))), 2);
    }

    private void Check(string name, Gen<string> excerpts, int iterations)
    {
        var tried = 0;
        var slowest = TimeSpan.Zero;
        excerpts.Sample(text =>
        {
            Interlocked.Increment(ref tried);
            var clock = Stopwatch.StartNew();
            var report = _engine.Analyze(new AnalysisInput(text, "svc", "prod"));
            Redactor.Redact(text);
            TemplateFingerprint.Of(text);
            var took = clock.Elapsed;
            slowest = took > slowest ? took : slowest;
            Assert.True(took < HangBound, $"{took} for an excerpt of {text.Length} chars starting {Escape(text)}");
            Assert.False(string.IsNullOrWhiteSpace(report.Summary));
            Assert.False(string.IsNullOrWhiteSpace(report.Recommendation));
            Assert.InRange(report.Confidence, 0, 1);
            Assert.True(Enum.IsDefined(report.Severity));
            Assert.False(string.IsNullOrEmpty(report.Fingerprint));
        }, iter: iterations, threads: 1);
        output.WriteLine($"{name}: {tried} cases tried; slowest {slowest.TotalMilliseconds:0} ms");
        Assert.Equal(iterations, tried);
    }

    private static string Escape(string text) => string.Concat(text.Take(80).Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
