using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bifrost.Bench;

/// <summary>
/// The requests of a backlog after an outage: many different failures from many services, every excerpt different.
/// Half are the repository's 551 real error excerpts (eval/excerpts: Kubernetes events, JVM/.NET/Python/Go/Node
/// traces, databases, brokers, proxies, …) with every run of digits redrawn (timestamps, ids, ports, pids, line
/// numbers change from one occurrence to the next, as they do); the other half are the load generator's 50 failure
/// shapes (<see cref="FailureCatalogue"/>) with fresh values and INFO context lines. An excerpt that comes out equal
/// to an earlier one is drawn again, so the answer cache never hits: every request costs a full analysis.
/// Deterministic for a seed: runs and builds are compared on the same bytes.
/// </summary>
internal static class BacklogRequests
{
    private static readonly string[] CorpusFiles = ["dev.jsonl", "test.jsonl"];

    private static readonly string[] Priorities = ["HIGH", "HIGH", "CRITICAL", "NORMAL", "LOW"];

    public sealed record Backlog(byte[][] Payloads, int RealTemplates, int CatalogueTemplates, double MeanExcerptChars);

    public static Backlog Generate(int count, int seed = 20261126)
    {
        var random = new Random(seed);
        var real = RealExcerpts();
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var payloads = new byte[count][];
        var outageStart = new DateTime(2026, 11, 26, 9, 40, 0, DateTimeKind.Utc);
        long chars = 0;
        for (var i = 0; i < count; i++)
        {
            string excerpt, service, environment;
            do
            {
                if (real.Count > 0 && random.Next(2) == 0)
                {
                    var template = real[random.Next(real.Count)];
                    (excerpt, service, environment) = (RedrawDigits(template.Content, random), template.Service, template.Environment);
                }
                else
                {
                    var shape = random.Next(FailureCatalogue.Count);
                    (excerpt, service, environment) = (FailureCatalogue.Excerpt(random, shape, 400), $"svc-{shape}-{random.Next(8)}", random.Next(5) == 0 ? "staging" : "production");
                }
            }
            while (!seen.Add(excerpt));

            chars += excerpt.Length;
            payloads[i] = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["request_id"] = $"backlog-{i}",
                ["timestamp"] = outageStart.AddMilliseconds(i * 13L + random.Next(13)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["log_id"] = 9_000_000L + i,
                ["log_content"] = excerpt,
                ["service_name"] = service,
                ["environment"] = environment,
                ["priority"] = Priorities[random.Next(Priorities.Length)],
                ["correlation_id"] = $"{random.NextInt64():x16}",
            });
        }

        return new Backlog(payloads, real.Count, FailureCatalogue.Count, (double)chars / count);
    }

    /// <summary>Every run of digits replaced by random digits of the same length (a leading zero stays a zero: "07" is still a month).</summary>
    private static string RedrawDigits(string text, Random random)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsAsciiDigit(chars[i]) && !(chars[i] == '0' && (i + 1 >= chars.Length || char.IsAsciiDigit(chars[i + 1]))))
            {
                chars[i] = (char)('0' + random.Next(10));
            }
        }

        return new string(chars);
    }

    private sealed record RealExcerpt(string Content, string Service, string Environment);

    /// <summary>eval/excerpts/{dev,test}.jsonl from the repository (none when run elsewhere: the catalogue alone then).</summary>
    private static List<RealExcerpt> RealExcerpts()
    {
        var folder = Path.Combine(SharedData.FindRepositoryRoot() ?? ".", "eval", "excerpts");
        var excerpts = new List<RealExcerpt>();
        foreach (var file in CorpusFiles.Select(f => Path.Combine(folder, f)).Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file, Encoding.UTF8).Where(l => l.Length > 0))
            {
                using var row = JsonDocument.Parse(line);
                var root = row.RootElement;
                excerpts.Add(new RealExcerpt(root.GetProperty("log_content").GetString()!, Text(root, "service_name", "app"), Text(root, "environment", "production")));
            }
        }

        return excerpts;
    }

    private static string Text(JsonElement row, string name, string fallback) =>
        row.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text ? text : fallback;
}
