using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>Summary, root cause and recommendation for one verdict, in English or Korean.</summary>
public sealed record ExplanationText(string Summary, string RootCause, string Recommendation);

/// <summary>
/// Writes the explanation of this excerpt: the category's text filled with the excerpt's values, then what makes this
/// failure specific (<see cref="Diagnosis"/>): the decisive line, the likely cause when the category is a symptom, where
/// the process stopped, the application's own frame, every target, the competing statements, heap against limit, and
/// what the excerpt does not show. Steps whose condition the log shows come first; command placeholders are filled.
/// </summary>
public static class Explainer
{
    private static readonly ConcurrentDictionary<string, EntityFields> FieldsByCategory = new(StringComparer.Ordinal);

    /// <summary>
    /// The entity fields the explanation of <paramref name="category"/> can read, in either language: the placeholders
    /// of its texts and commands, and the facts whose absence it reports. The classifier extracts only these.
    /// </summary>
    internal static EntityFields EntitiesNeeded(string category) => FieldsByCategory.GetOrAdd(category, static c =>
    {
        var text = CategoryTexts.For(c);
        var fields = Gaps.Fields(c) | EntityFields.Memory;
        foreach (var lang in (LangText[])[text.En, text.Ko])
        {
            foreach (var template in (string[])[lang.Summary, lang.Cause, .. lang.Steps])
            {
                var body = Step.Of(template).Body;
                fields |= Slots.TemplateFields(body) | Slots.CommandFields(body);
            }
        }

        return fields;
    });

    public static ExplanationText Explain(Classification verdict, LogEvent? deciding, string? service, string? language)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var ko = string.Equals(language?.Trim(), "ko", StringComparison.OrdinalIgnoreCase);
        if (deciding is null)
        {
            return ko
                ? new ExplanationText("분석할 로그 줄이 없습니다 (빈 발췌).", "발췌가 비어 있거나 공백뿐이라 원인을 판단할 수 없습니다.", "1. 오류가 발생한 시각 전후의 로그 줄을 포함해 다시 요청하세요.")
                : new ExplanationText("The excerpt contains no log lines.", "The excerpt is empty or whitespace only, so there is nothing to attribute a cause to.", "1. Send the log lines around the time of the failure.");
        }

        if (verdict.NoFailure)
        {
            return NoFailure(service, ko);
        }

        var d = verdict.Diagnosis;
        var text = CategoryTexts.For(verdict.Category);
        var slots = new Slots(verdict.Entities, service, ko, d);
        var lang = ko ? text.Ko : text.En;
        var summary = new StringBuilder(slots.Fill(lang.Summary));
        AppendSummaryFacts(summary, verdict, d, ko);

        var cause = new StringBuilder();
        AppendSpecifics(cause, verdict, d, ko);
        cause.Append(cause.Length > 0 ? " " : string.Empty).Append(slots.Fill(lang.Cause));
        var missing = Gaps.Of(verdict.Category, verdict.Entities, d, ko);
        if (missing.Count > 0)
        {
            cause.Append(' ').Append(ko
                ? "발췌에는 " + string.Join(", ", missing) + " 정보가 없습니다."
                : "The excerpt does not show " + JoinOr(missing) + ".");
        }

        var recommendation = Steps(verdict, d, lang, slots, ko);
        return new ExplanationText(Finish(summary.ToString(), ko), Finish(cause.ToString(), ko), Finish(recommendation, ko));
    }

    private static string Finish(string text, bool ko) => ko ? KoreanParticles.Resolve(text) : text;

    private static void AppendSummaryFacts(StringBuilder summary, Classification verdict, Diagnosis d, bool ko)
    {
        if (d.Deciding is { } line)
        {
            summary.Append(ko
                ? $" 판단 근거는 {line.Number}번 줄의 \"{Slots.Clip(line.Text, 160)}\"입니다."
                : $" Decisive line {line.Number}: \"{Slots.Clip(line.Text, 160)}\".");
        }

        if (d.Cause is { } cause)
        {
            var title = CategoryTitles.Of(cause.Category, ko);
            summary.Append(ko
                ? $" 가능성이 가장 높은 원인은 {cause.Line.Number}번 줄의 {title}입니다: \"{Slots.Clip(cause.Line.Text, 160)}\"."
                : $" Likely cause: {title} at line {cause.Line.Number}: \"{Slots.Clip(cause.Line.Text, 160)}\".");
        }

        if (d.ProcessDown is { } same && same.Number == d.Deciding?.Number && verdict.Category != "k8s.crash_loop")
        {
            summary.Append(ko ? " 처리되지 않은 이 오류로 프로세스가 종료되었습니다." : " It was not handled: the process stopped.");
        }
        else if (d.ProcessDown is { } down && verdict.Category != "k8s.crash_loop")
        {
            summary.Append(ko
                ? $" {down.Number}번 줄(\"{Slots.Clip(down.Text, 100)}\")에서 프로세스가 종료되었습니다."
                : $" The process stopped (line {down.Number}: \"{Slots.Clip(down.Text, 100)}\").");
        }

        if (verdict.Recovered && d.Recovery is { } recovery)
        {
            summary.Append(ko
                ? $" 이후 {recovery.Number}번 줄에서 복구되었습니다."
                : $" It recovered afterwards (line {recovery.Number}).");
        }
    }

    /// <summary>Sentences only this excerpt supports: frame, targets, heap against limit, competing statements, cause chain.</summary>
    private static void AppendSpecifics(StringBuilder cause, Classification verdict, Diagnosis d, bool ko)
    {
        void Sentence(string s) => cause.Append(cause.Length > 0 ? " " : string.Empty).Append(s);

        if (d.Cause is { } first)
        {
            var title = CategoryTitles.Of(first.Category, ko);
            var self = CategoryTitles.Of(verdict.Category, ko);
            Sentence(ko
                ? $"{first.Line.Number}번 줄의 {title}이(가) 먼저 나타나고, {self}은(는) 그 결과로 보입니다."
                : $"{Capitalise(title)} at line {first.Line.Number} comes first; the {TrimArticle(self)} follows from it.");
        }

        if (d.Frame is { } frame)
        {
            Sentence(ko
                ? $"애플리케이션 자체 코드에서 처음 드러나는 위치는 {frame}입니다."
                : $"It surfaces in the application's own code at {frame}.");
        }

        if (d.Targets.Count > 1)
        {
            var list = string.Join(", ", d.Targets);
            Sentence(ko ? $"실패한 줄에 나오는 대상은 {list}입니다." : $"The failing lines name {d.Targets.Count} targets: {list}.");
        }

        if (d.Heap is { } heap && verdict.Entities.Memory is { } limit)
        {
            var heapBytes = Bytes(heap);
            var limitBytes = Bytes(limit);
            if (heapBytes > 0 && limitBytes > 0 && heapBytes >= limitBytes)
            {
                Sentence(ko
                    ? $"설정된 최대 힙({heap})이 컨테이너 메모리 제한({limit})보다 작지 않아, 런타임이 힙 부족을 알리기 전에 커널이 프로세스를 종료합니다."
                    : $"The configured heap ceiling ({heap}) is not below the container's memory limit ({limit}), so the kernel kills the process before the runtime can report running out of heap.");
            }
            else if (heapBytes > 0 && limitBytes > 0)
            {
                Sentence(ko ? $"최대 힙은 {heap}, 컨테이너 메모리 제한은 {limit}입니다." : $"The heap ceiling is {heap} against a container limit of {limit}.");
            }
        }

        if (d.Statements.Count > 0)
        {
            var list = string.Join(ko ? "`, `" : "` and `", d.Statements);
            Sentence(ko ? $"로그에 나온 경합 문장은 `{list}`입니다." : $"The statements involved: `{list}`.");
        }
    }

    private static string Steps(Classification verdict, Diagnosis d, LangText lang, Slots slots, bool ko)
    {
        // steps whose condition the excerpt shows first, in their written order; the others after, in theirs
        var ordered = new List<string>(lang.Steps.Length + 1);
        if (d.Cause is { } cause)
        {
            var title = CategoryTitles.Of(cause.Category, ko);
            ordered.Add(ko
                ? $"{cause.Line.Number}번 줄의 {title}부터 해결하세요: \"{Slots.Clip(cause.Line.Text, 160)}\". 그것이 해결되면 {CategoryTitles.Of(verdict.Category, ko)}도 멈춰야 합니다."
                : $"Fix what line {cause.Line.Number} shows first ({title}): \"{Slots.Clip(cause.Line.Text, 160)}\"; the {TrimArticle(CategoryTitles.Of(verdict.Category, ko))} should stop once it is fixed.");
        }

        var shown = new List<string>();
        var rest = new List<string>();
        foreach (var template in lang.Steps)
        {
            var step = Step.Of(template);
            var shownByLog = step.ShownBy(d.Lower);
            if (step.Required && !shownByLog)
            {
                continue;
            }

            var filled = slots.FillCommands(slots.Fill(step.Body));
            if (filled.Length == 0)
            {
                continue;
            }

            (shownByLog && !step.Required ? shown : rest).Add(filled);
        }

        ordered.AddRange(shown);
        ordered.AddRange(rest);
        var sb = new StringBuilder();
        for (var i = 0; i < ordered.Count; i++)
        {
            (i > 0 ? sb.Append('\n') : sb).Append(i + 1).Append(". ").Append(ordered[i]);
        }

        return sb.ToString();
    }

    private static ExplanationText NoFailure(string? service, bool ko)
    {
        var svc = string.IsNullOrWhiteSpace(service) ? null : service.Trim();
        return ko
            ? new ExplanationText(
                $"장애를 찾지 못했습니다: {(svc is null ? "이 발췌" : svc + " 서비스의 발췌")}에는 ERROR 이상 수준의 기록이나 예외가 없습니다.",
                "발췌의 모든 기록이 정보성(INFO/DEBUG/정상 동작) 메시지이고, 오류 수준의 기록이나 예외·스택 트레이스가 없습니다. 문제를 보았다면 그 줄들은 이 발췌 밖에 있습니다.",
                "1. 문제가 보인 시각 전후의 로그를 ERROR 기록과 스택 트레이스를 포함해 보내 주세요.\n2. 같은 시각 의존 서비스(DB, 캐시, 업스트림)의 로그와 지표를 확인하세요.\n3. 로그 수준이 WARN/ERROR를 걸러내고 있지 않은지 확인하세요.")
            : new ExplanationText(
                $"No failure found: {(svc is null ? "the excerpt" : svc + "'s excerpt")} has no record at ERROR level or above and no exception.",
                "Every record in the excerpt is informational (INFO/DEBUG or routine operation); none is an error or carries an exception or stack trace. If a problem was seen, its lines are outside this excerpt.",
                "1. Send the lines around the time the problem was seen, including ERROR records and stack traces.\n2. Check the same time window in the dependencies' logs and metrics (database, cache, upstreams).\n3. Make sure the log level does not filter out WARN/ERROR records.");
    }

    private static string JoinOr(List<string> items) => items.Count switch
    {
        1 => items[0],
        2 => items[0] + " or " + items[1],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
    };

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string TrimArticle(string s) =>
        s.StartsWith("a ", StringComparison.Ordinal) ? s[2..] : s.StartsWith("an ", StringComparison.Ordinal) ? s[3..] : s;

    /// <summary>A size like <c>512Mi</c>, <c>1g</c>, <c>2048Mi</c>, <c>1.5 GiB</c> in bytes, or 0.</summary>
    internal static double Bytes(string size)
    {
        var s = size.Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }

        if (i == 0 || !double.TryParse(s.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return 0;
        }

        var unit = s[i..].Trim().ToUpperInvariant();
        return unit.Length == 0 ? n : unit[0] switch
        {
            'K' => n * 1024,
            'M' => n * 1024 * 1024,
            'G' => n * 1024 * 1024 * 1024,
            'T' => n * 1024 * 1024 * 1024 * 1024,
            _ => n,
        };
    }
}

/// <summary>
/// A recommendation step, optionally conditional: a template written <c>?cue|cue? text</c> is promoted to the front when
/// the excerpt contains one of its cues (lower-case), so the checklist starts with what the log shows.
/// </summary>
/// A step written <c>!cue|cue! text</c> applies only when the excerpt contains one of its cues (a Kubernetes command for a
/// systemd restart loop would mislead), and is left out otherwise.
internal sealed record Step(string Body, string[] Cues, bool Required = false)
{
    private static readonly ConcurrentDictionary<string, Step> Cache = new(ReferenceEqualityComparer.Instance);

    public static Step Of(string template) => Cache.GetOrAdd(template, static t =>
    {
        if (t.Length < 3 || t[0] is not ('?' or '!'))
        {
            return new Step(t, []);
        }

        var end = t.IndexOf(t[0], 1);
        return end < 0 ? new Step(t, []) : new Step(t[(end + 1)..].TrimStart(), t[1..end].Split('|', StringSplitOptions.RemoveEmptyEntries), t[0] == '!');
    });

    public bool ShownBy(string lowerExcerpt)
    {
        foreach (var cue in Cues)
        {
            if (lowerExcerpt.Contains(cue, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
