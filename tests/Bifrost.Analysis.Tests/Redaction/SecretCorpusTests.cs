using Bifrost.Analysis.Redaction;
using Xunit.Abstractions;

namespace Bifrost.Analysis.Tests.Redaction;

public class SecretCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<SecretCorpus.SecretCase> Secrets() => [.. SecretCorpus.Secrets];

    public static TheoryData<string> NearMisses() => [.. SecretCorpus.NearMisses];

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redact_LeavesNoPartOfTheSecret(SecretCorpus.SecretCase c)
    {
        var redacted = Redactor.Redact(c.Text);
        Assert.Empty(Leaks(redacted, c.Secrets));
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Redact_KeepsTheEvidence(string text) => Assert.Equal(text, Redactor.Redact(text));

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redact_IsIdempotent(SecretCorpus.SecretCase c)
    {
        var once = Redactor.Redact(c.Text);
        Assert.Equal(once, Redactor.Redact(once));
    }

    /// <summary>The figures quoted in docs/quality.md: recall over secrets, false-positive rate over near-misses.</summary>
    [Fact]
    public void Corpus_RecallAndFalsePositives()
    {
        var secrets = SecretCorpus.Secrets.Sum(c => c.Secrets.Length);
        var leaked = SecretCorpus.Secrets.Sum(c => Leaks(Redactor.Redact(c.Text), c.Secrets).Count);
        var changed = SecretCorpus.NearMisses.Count(n => Redactor.Redact(n) != n);
        output.WriteLine($"families: {SecretCorpus.Secrets.Select(c => c.Family).Distinct().Count()}, cases: {SecretCorpus.Secrets.Length}, secrets: {secrets}");
        output.WriteLine($"recall: {secrets - leaked}/{secrets} = {(secrets - leaked) / (double)secrets:P1}");
        output.WriteLine($"false positives: {changed}/{SecretCorpus.NearMisses.Length} near-misses changed = {changed / (double)SecretCorpus.NearMisses.Length:P1}");
        Assert.Equal(0, leaked);
        Assert.Equal(0, changed);
    }

    /// <summary>Secrets of which an 8-character window (or the whole, when shorter) is still in <paramref name="redacted"/>.</summary>
    internal static List<string> Leaks(string redacted, IEnumerable<string> secrets)
    {
        var leaks = new List<string>();
        foreach (var secret in secrets)
        {
            var window = Math.Min(8, secret.Length);
            for (var i = 0; i + window <= secret.Length; i++)
            {
                if (redacted.Contains(secret.AsSpan(i, window), StringComparison.Ordinal))
                {
                    leaks.Add($"{secret} (\"{secret.Substring(i, window)}\" in: {redacted})");
                    break;
                }
            }
        }

        return leaks;
    }
}

public class HeldOutSecretsTests(ITestOutputHelper output)
{
    /// <summary>Prints the held-out figures for docs/quality.md; asserts the floor they must not fall below.</summary>
    [Fact]
    public void HeldOut_RecallAndFalsePositives()
    {
        SecretCorpus.SecretCase[] all = [.. HeldOutSecrets.Secrets, .. HeldOutSecrets.KnownMisses];
        var secrets = all.Sum(c => c.Secrets.Length);
        var missed = HeldOutSecrets.KnownMisses.Sum(c => SecretCorpusTests.Leaks(Redactor.Redact(c.Text), c.Secrets).Count);
        var leaks = HeldOutSecrets.Secrets.SelectMany(c => SecretCorpusTests.Leaks(Redactor.Redact(c.Text), c.Secrets)).ToList();
        var changed = HeldOutSecrets.NearMisses.Where(n => Redactor.Redact(n) != n).ToList();
        output.WriteLine($"held-out recall: {secrets - leaks.Count - missed}/{secrets} = {(secrets - leaks.Count - missed) / (double)secrets:P1} ({missed} known miss)");
        output.WriteLine($"held-out false positives: {changed.Count}/{HeldOutSecrets.NearMisses.Length}");
        foreach (var leak in leaks) output.WriteLine("leak: " + leak);
        foreach (var c in changed) output.WriteLine("changed: " + c + " → " + Redactor.Redact(c));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.True(changed.Count == 0, string.Join("\n", changed));
    }
}
