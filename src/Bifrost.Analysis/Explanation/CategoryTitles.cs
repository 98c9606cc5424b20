namespace Bifrost.Analysis.Explanation;

/// <summary>A short noun phrase per taxonomy category, for sentences that name a second failure ("a missing file at line 12").</summary>
internal static class CategoryTitles
{
    public static string Of(string category, bool korean) => Map.TryGetValue(category, out var t) ? (korean ? t.Ko : t.En) : (korean ? "오류" : "an error");

    private static readonly Dictionary<string, (string En, string Ko)> Map = new(StringComparer.Ordinal)
    {
        ["database.connection"] = ("a failed database connection", "DB 연결 실패"),
        ["database.pool_exhausted"] = ("an exhausted connection pool", "커넥션 풀 고갈"),
        ["database.deadlock"] = ("a database deadlock", "DB 데드락"),
        ["database.constraint"] = ("a constraint violation", "제약 조건 위반"),
        ["database.query"] = ("an invalid SQL statement", "잘못된 SQL 문"),
        ["database.auth"] = ("a rejected database login", "DB 로그인 거부"),
        ["network.connection_refused"] = ("a refused connection", "연결 거부"),
        ["network.timeout"] = ("a timed-out call", "호출 타임아웃"),
        ["network.dns"] = ("a failed name lookup", "이름 조회 실패"),
        ["network.tls"] = ("a TLS/certificate failure", "TLS/인증서 오류"),
        ["http.upstream_error"] = ("an upstream 5xx", "업스트림 5xx 응답"),
        ["http.rate_limited"] = ("rate limiting", "요청 제한(rate limit)"),
        ["auth.credentials"] = ("rejected credentials", "자격 증명 거부"),
        ["auth.permission"] = ("a permission denial", "권한 거부"),
        ["resource.memory"] = ("memory exhaustion", "메모리 부족"),
        ["resource.disk"] = ("a full disk", "디스크 가득 참"),
        ["resource.file_descriptors"] = ("exhausted file descriptors", "파일 디스크립터 고갈"),
        ["gpu.out_of_memory"] = ("GPU memory exhaustion", "GPU 메모리 부족"),
        ["gpu.runtime"] = ("a GPU driver/runtime failure", "GPU 드라이버/런타임 오류"),
        ["k8s.crash_loop"] = ("a crash loop", "크래시 루프"),
        ["k8s.image_pull"] = ("an image pull failure", "이미지 풀 실패"),
        ["k8s.probe_failed"] = ("a failing probe", "프로브 실패"),
        ["k8s.scheduling"] = ("a scheduling failure", "스케줄링 실패"),
        ["k8s.evicted"] = ("an eviction", "파드 축출"),
        ["code.null_reference"] = ("a null dereference", "null 참조"),
        ["code.type_error"] = ("a type/parse error", "타입/파싱 오류"),
        ["code.index_error"] = ("a missing index or key", "인덱스/키 오류"),
        ["code.stack_overflow"] = ("a stack overflow", "스택 오버플로"),
        ["code.unhandled"] = ("an unhandled exception", "처리되지 않은 예외"),
        ["dependency.missing"] = ("a missing dependency", "의존성 누락"),
        ["config.invalid"] = ("a configuration error", "설정 오류"),
        ["filesystem.not_found"] = ("a missing file or directory", "파일/디렉터리 없음"),
        ["filesystem.permission"] = ("a denied file access", "파일 접근 거부"),
        ["messaging.broker"] = ("a message-broker failure", "메시지 브로커 오류"),
        ["cache.unavailable"] = ("an unreachable cache", "캐시 연결 불가"),
        ["concurrency.thread_pool"] = ("a saturated worker pool", "워커 풀 포화"),
        ["data.validation"] = ("rejected input", "입력 검증 실패"),
        ["unknown"] = ("an unattributed error", "원인 미상 오류"),
    };
}
