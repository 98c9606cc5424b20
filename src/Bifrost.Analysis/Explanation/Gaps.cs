using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>
/// What the excerpt does not show but an on-call engineer would need for this kind of failure: the host it tried, the
/// stack trace or the application's own frame, the exit code, the limit, the setting or file, the competing statements,
/// when it happened. Said explicitly, so the answer does not pretend to know it.
/// </summary>
internal static class Gaps
{
    private sealed record Gap(Func<string, bool> AppliesTo, Func<Entities, Diagnosis, bool> Missing, EntityFields Field, string En, string Ko);

    private static readonly Gap[] All =
    [
        new(c => c is "database.connection" or "database.auth" or "network.connection_refused" or "network.timeout"
                or "network.tls" or "cache.unavailable" or "messaging.broker",
            (e, _) => e.Target is null && e.Host is null && e.Url is null, EntityFields.Target | EntityFields.Host | EntityFields.Url,
            "the host and port it was connecting to", "연결하려던 호스트와 포트"),
        new(c => c is "network.dns", (e, _) => e.Host is null && e.Target is null, EntityFields.Host | EntityFields.Target, "the name that failed to resolve", "조회에 실패한 이름"),
        new(c => c.StartsWith("code.", StringComparison.Ordinal) || c is "unknown", (_, d) => !d.HasStack && d.Frame is null, EntityFields.None,
            "a stack trace (the failing line of code)", "스택 트레이스(실패한 코드 줄)"),
        new(c => c.StartsWith("code.", StringComparison.Ordinal), (_, d) => d.HasStack && d.Frame is null, EntityFields.None,
            "a frame of the application's own code (only runtime and library frames)", "애플리케이션 자체 코드의 프레임(런타임·라이브러리 프레임만 있음)"),
        new(c => c is "k8s.crash_loop", (_, d) => d.Cause is null, EntityFields.None,
            "the container's own output before it exited", "컨테이너가 종료되기 전의 자체 출력"),
        new(c => c is "k8s.crash_loop", (e, _) => e.ExitCode is null, EntityFields.ExitCode, "the exit code", "종료 코드"),
        new(c => c is "resource.memory" or "k8s.evicted", (e, _) => e.Memory is null, EntityFields.Memory, "the memory limit or the size that failed", "메모리 제한이나 할당하려던 크기"),
        new(c => c is "config.invalid", (e, _) => e.ConfigKey is null && e.Path is null, EntityFields.ConfigKey | EntityFields.Path, "which setting or file is wrong", "어떤 설정 키나 파일이 문제인지"),
        new(c => c is "filesystem.not_found" or "filesystem.permission", (e, _) => e.Path is null, EntityFields.Path, "the path", "경로"),
        new(c => c is "dependency.missing", (e, _) => e.Module is null, EntityFields.Module, "which module or library is missing", "어떤 모듈/라이브러리가 없는지"),
        new(c => c is "http.upstream_error" or "http.rate_limited", (e, _) => e.Url is null && e.Target is null, EntityFields.Url | EntityFields.Target,
            "which upstream answered", "어느 업스트림이 응답했는지"),
        new(c => c is "database.deadlock", (_, d) => d.Statements.Count == 0, EntityFields.None, "the competing statements", "경합한 SQL 문"),
        new(c => c is "database.constraint", (e, _) => e.Constraint is null, EntityFields.Constraint, "the constraint's name", "제약 조건 이름"),
        new(c => c is "k8s.image_pull", (e, _) => e.Image is null, EntityFields.Image, "the image reference", "이미지 참조"),
        new(c => c is "network.timeout", (e, _) => e.Timeout is null, EntityFields.Timeout, "the timeout value", "타임아웃 값"),
        new(c => c is "database.pool_exhausted" or "concurrency.thread_pool", (e, _) => e.PoolSize is null, EntityFields.PoolSize, "the pool size", "풀 크기"),
        new(_ => true, (_, d) => !d.HasTimestamp, EntityFields.None, "when it happened (no timestamp)", "발생 시각(타임스탬프 없음)"),
    ];

    /// <summary>The missing facts for <paramref name="category"/>, phrased for a sentence.</summary>
    public static List<string> Of(string category, Entities entities, Diagnosis diagnosis, bool korean)
    {
        var missing = new List<string>();
        foreach (var gap in All)
        {
            if (gap.AppliesTo(category) && gap.Missing(entities, diagnosis))
            {
                missing.Add(korean ? gap.Ko : gap.En);
            }
        }

        return missing;
    }

    /// <summary>The entity fields the gaps of <paramref name="category"/> test.</summary>
    public static EntityFields Fields(string category)
    {
        var fields = EntityFields.None;
        foreach (var gap in All)
        {
            if (gap.AppliesTo(category))
            {
                fields |= gap.Field;
            }
        }

        return fields;
    }
}
