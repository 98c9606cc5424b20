using System.Text;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>
/// Fills a text template: <c>{name}</c> takes an entity's value (or a neutral fallback), and <c>[[ ... ]]</c>
/// keeps its content only when every placeholder inside has a real value — so sentences name the host,
/// table or limit when the excerpt has it and stay correct when it does not.
/// </summary>
internal sealed partial class Slots(Entities entities, string? service, bool korean, LogEvent? deciding)
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal)
    {
        ["svc"] = string.IsNullOrWhiteSpace(service) ? null : service.Trim(),
        ["target"] = entities.Target,
        ["host"] = entities.Host,
        ["port"] = entities.Port,
        ["url"] = entities.Url,
        ["table"] = entities.Table,
        ["constraint"] = entities.Constraint,
        ["column"] = entities.Column,
        ["user"] = entities.User,
        ["pod"] = entities.Pod,
        ["container"] = entities.Container,
        ["image"] = entities.Image,
        ["node"] = entities.Node,
        ["topic"] = entities.Topic,
        ["timeout"] = entities.Timeout,
        ["pool"] = entities.PoolSize,
        ["memory"] = entities.Memory,
        ["status"] = entities.StatusCode,
        ["exc"] = entities.ExceptionType,
        ["exit"] = entities.ExitCode,
        ["path"] = entities.Path,
        ["module"] = entities.Module,
        ["key"] = entities.ConfigKey,
        ["probe"] = entities.Probe,
    };

    private string Fallback(string name) => (korean, name) switch
    {
        (false, "svc") => "the service",
        (true, "svc") => "해당",
        (false, "target") => "the dependency",
        (true, "target") => "대상 서버",
        (false, "probe") => "health",
        (true, "probe") => "헬스",
        (false, _) => "it",
        (true, _) => "해당 항목",
    };

    public string Fill(string template)
    {
        var kept = Rx.Replace(Optional(), template, m => Placeholder().Matches(m.Groups[1].Value).Cast<Match>().All(p => values.GetValueOrDefault(p.Groups[1].Value) is not null) ? m.Groups[1].Value : string.Empty);
        var filled = Rx.Replace(Placeholder(), kept, m => values.GetValueOrDefault(m.Groups[1].Value) ?? Fallback(m.Groups[1].Value));
        // capitalise a sentence that starts with a fallback ("the service ..."), never a real service name
        var startsWithName = template.StartsWith("{svc}", StringComparison.Ordinal) && values["svc"] is not null;
        return filled.Length > 0 && char.IsLower(filled[0]) && !korean && !startsWithName ? char.ToUpperInvariant(filled[0]) + filled[1..] : filled;
    }

    /// <summary>A sentence listing the concrete facts the excerpt gave (exception, target, numbers), if any.</summary>
    public string Details(string category)
    {
        var facts = new List<string>();
        void Add(string en, string ko, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && facts.Count < 6)
            {
                facts.Add((korean ? ko : en) + " " + Clip(value, 120));
            }
        }

        Add("exception", "예외", entities.ExceptionType);
        Add("target", "대상", entities.Target);
        if (category.StartsWith("database.", StringComparison.Ordinal))
        {
            Add("table", "테이블", entities.Table);
            Add("constraint", "제약 조건", entities.Constraint);
            Add("column", "컬럼", entities.Column);
            Add("user", "사용자", entities.User);
        }

        if (category.StartsWith("k8s.", StringComparison.Ordinal) || category == "resource.memory")
        {
            Add("pod", "파드", entities.Pod);
            Add("container", "컨테이너", entities.Container);
            Add("image", "이미지", entities.Image);
            Add("node", "노드", entities.Node);
            Add("exit code", "종료 코드", entities.ExitCode);
        }

        Add("timeout", "타임아웃", entities.Timeout);
        Add("pool size", "풀 크기", entities.PoolSize);
        Add("memory", "메모리", entities.Memory);
        Add("HTTP status", "HTTP 상태 코드", entities.StatusCode);
        Add("topic", "토픽", entities.Topic);
        Add("path", "경로", entities.Path);
        Add("module", "모듈", entities.Module);
        Add("setting", "설정 키", entities.ConfigKey);
        if (facts.Count == 0)
        {
            return string.Empty;
        }

        return korean ? " 로그에서 확인된 정보: " + string.Join(", ", facts) + "." : " From the log: " + string.Join("; ", facts) + ".";
    }

    /// <summary>The deciding line, clipped, for the summary.</summary>
    public string Quote()
    {
        if (deciding is null)
        {
            return string.Empty;
        }

        var message = deciding.InnermostMessage.Trim();
        return message.Length == 0 ? string.Empty : "\"" + Clip(message, 160) + "\"";
    }

    private static string Clip(string s, int max)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        var clean = sb.ToString();
        return clean.Length <= max ? clean : clean[..max] + "…";
    }

    [GeneratedRegex(@"\[\[(.*?)\]\]", RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Optional();

    [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Placeholder();
}
