// Every user-visible string, in English and Korean. t('key', {n: 3}) fills {n}.
const dict = {
  en: {
    'app.title': 'Bifrost', 'app.subtitle': 'Log analysis — on-call view',
    'nav.feed': 'Live feed', 'nav.patterns': 'Recurring failures', 'nav.overview': 'Throughput', 'nav.dlq': 'Dead letters',
    'conn.live': 'Live', 'conn.connecting': 'Connecting…', 'conn.offline': 'Offline', 'conn.auth': 'Key required',
    'lang.toggle': '한국어', 'theme.toggle': 'Theme', 'key.button': 'API key', 'key.set': 'Key set',
    'auth.title': 'API key required', 'auth.body': 'This Bifrost server requires an API key. The key is kept in this browser tab only (sessionStorage) and sent as X-API-Key.',
    'auth.placeholder': 'bfk_…', 'auth.save': 'Use key', 'auth.clear': 'Forget key', 'auth.cancel': 'Cancel',
    'auth.rejected': 'The server refused this key (401).', 'auth.needed': 'No data: an API key is required.',
    'filter.service': 'Service', 'filter.environment': 'Environment', 'filter.severity': 'Severity', 'filter.category': 'Category',
    'filter.text': 'Search summary, cause, log…', 'filter.all': 'All', 'filter.clear': 'Clear filters',
    'feed.pause': 'Pause', 'feed.resume': 'Resume', 'feed.shown': '{n} shown', 'feed.paused': 'Paused — {n} new',
    'feed.empty': 'No analyses match. New ones appear here as they complete.', 'feed.loading': 'Loading…',
    'col.time': 'Time', 'col.severity': 'Sev', 'col.service': 'Service', 'col.env': 'Env', 'col.category': 'Category',
    'col.summary': 'Summary', 'col.confidence': 'Conf', 'col.model': 'Model', 'col.duration': 'Took', 'col.status': 'Status',
    'sev.CRITICAL': 'Critical', 'sev.HIGH': 'High', 'sev.MEDIUM': 'Medium', 'sev.LOW': 'Low',
    'status.RECEIVED': 'Received', 'status.PROCESSING': 'Processing', 'status.COMPLETED': 'Completed', 'status.FAILED': 'Failed',
    'detail.close': 'Close', 'detail.summary': 'Summary', 'detail.rootCause': 'Root cause', 'detail.recommendation': 'Recommendation',
    'detail.excerpt': 'Log excerpt (redacted)', 'detail.evidence': '{n} evidence lines highlighted', 'detail.meta': 'Details',
    'detail.confidence': 'Confidence', 'detail.model': 'Model', 'detail.engine': 'Engine', 'detail.duration': 'Analysis time',
    'detail.received': 'Received', 'detail.completed': 'Completed', 'detail.latency': 'Received → completed',
    'detail.requestId': 'Request id', 'detail.correlationId': 'Correlation id', 'detail.logId': 'Log id', 'detail.analysisId': 'Analysis id',
    'detail.fingerprint': 'Fingerprint', 'detail.source': 'Source', 'detail.priority': 'Priority', 'detail.tokens': 'LLM tokens',
    'detail.cache': 'Cache hit', 'detail.fallback': 'Fallback to built-in', 'detail.error': 'Error', 'detail.notFound': 'Analysis {id} not found.',
    'detail.pending': 'Analysis still running…', 'detail.copy': 'Copy link', 'detail.similar': 'Show this failure’s history',
    'yes': 'yes', 'no': 'no',
    'patterns.title': 'Top recurring failures (last 24 h)', 'patterns.count': 'Count', 'patterns.trend': 'Trend (24 h)',
    'patterns.lastSeen': 'Last seen', 'patterns.latest': 'Latest summary', 'patterns.fingerprint': 'Fingerprint',
    'patterns.empty': 'No recurring failures in the window.', 'patterns.rank': '#',
    'overview.analyses': 'Analyses (1 h)', 'overview.severe': 'High + critical (1 h)', 'overview.p95': 'Analysis p95 (30 min)',
    'overview.lag': 'Consumer lag', 'overview.dlq': 'DLQ records', 'overview.inflight': 'In flight',
    'overview.throughput': 'Throughput — analyses per minute (30 min)', 'overview.latency': 'Analysis time — p50 / p95 (30 min)',
    'overview.lagChart': 'Consumer lag per partition (live)', 'overview.severityMix': 'Severity mix (24 h)',
    'overview.categories': 'Top categories (24 h)', 'overview.services': 'Top services (24 h)',
    'overview.noMetrics': 'No Kafka lag reported (Kafka worker not running or /metrics unavailable).', 'overview.noData': 'No data yet.',
    'overview.partition': 'partition {p}',
    'dlq.title': 'Dead-letter records', 'dlq.refresh': 'Refresh', 'dlq.redrive': 'Re-drive', 'dlq.confirmShort': 'Confirm re-drive', 'dlq.redriving': 'Re-driving…',
    'dlq.redriven': 'Sent back to {topic} (partition {p}, offset {o}).', 'dlq.confirm': 'Send this message back to {topic} for analysis?',
    'dlq.failedAt': 'Failed at', 'dlq.code': 'Error', 'dlq.reason': 'Reason', 'dlq.origin': 'Read from', 'dlq.key': 'Key',
    'dlq.attempts': 'Tries', 'dlq.payload': 'Payload (redacted)', 'dlq.empty': 'The dead-letter topic is empty.', 'dlq.disabled': 'Kafka is not configured on this server.',
    'dlq.topic': 'Topic {topic} — newest first', 'dlq.noPayload': 'no payload kept', 'dlq.requestId': 'Request id',
    'nav.incidents': 'Incidents', 'inc.title': 'Incidents — needs attention first', 'inc.status': 'Status', 'inc.count': 'Count',
    'inc.firstSeen': 'First seen', 'inc.lastSeen': 'Last seen', 'inc.actions': 'Actions', 'inc.empty': 'No incidents with this status.',
    'inc.filter.active': 'Open + regressed', 'inc.filter.all': 'All', 'inc.filter.open': 'Open', 'inc.filter.regressed': 'Regressed',
    'inc.filter.muted': 'Muted', 'inc.filter.resolved': 'Resolved', 'inc.mutedUntil': 'Muted until {t}',
    'inc.multi': 'The same failure also hit: {services}', 'inc.resolve': 'Resolve', 'inc.confirmResolve': 'Confirm resolve',
    'inc.mute': 'Mute 1 h', 'inc.reopen': 'Reopen', 'inc.unmute': 'Unmute', 'inc.forbidden': 'This API key may only read (scope write needed).',
    'inc.done.resolve': 'Incident {id} resolved.', 'inc.done.mute': 'Incident {id} muted for an hour.', 'inc.done.reopen': 'Incident {id} is open again.',
    'error.load': 'Could not load: {msg}', 'time.ago.s': '{n}s ago', 'time.ago.m': '{n}m ago', 'time.ago.h': '{n}h ago', 'time.ago.d': '{n}d ago',
  },
  ko: {
    'app.title': 'Bifrost', 'app.subtitle': '로그 분석 — 온콜 화면',
    'nav.feed': '실시간 피드', 'nav.patterns': '반복 장애', 'nav.overview': '처리량', 'nav.dlq': '데드 레터',
    'conn.live': '실시간', 'conn.connecting': '연결 중…', 'conn.offline': '연결 끊김', 'conn.auth': '키 필요',
    'lang.toggle': 'English', 'theme.toggle': '테마', 'key.button': 'API 키', 'key.set': '키 설정됨',
    'auth.title': 'API 키가 필요합니다', 'auth.body': '이 Bifrost 서버는 API 키를 요구합니다. 키는 이 브라우저 탭에만 보관되며(sessionStorage) X-API-Key 헤더로 전송됩니다.',
    'auth.placeholder': 'bfk_…', 'auth.save': '키 사용', 'auth.clear': '키 삭제', 'auth.cancel': '취소',
    'auth.rejected': '서버가 이 키를 거부했습니다 (401).', 'auth.needed': '데이터 없음: API 키가 필요합니다.',
    'filter.service': '서비스', 'filter.environment': '환경', 'filter.severity': '심각도', 'filter.category': '분류',
    'filter.text': '요약, 원인, 로그 검색…', 'filter.all': '전체', 'filter.clear': '필터 초기화',
    'feed.pause': '일시정지', 'feed.resume': '재개', 'feed.shown': '{n}건 표시', 'feed.paused': '일시정지됨 — 새 항목 {n}건',
    'feed.empty': '조건에 맞는 분석이 없습니다. 새 분석이 완료되면 여기에 나타납니다.', 'feed.loading': '불러오는 중…',
    'col.time': '시각', 'col.severity': '심각도', 'col.service': '서비스', 'col.env': '환경', 'col.category': '분류',
    'col.summary': '요약', 'col.confidence': '신뢰도', 'col.model': '모델', 'col.duration': '소요', 'col.status': '상태',
    'sev.CRITICAL': '치명', 'sev.HIGH': '높음', 'sev.MEDIUM': '보통', 'sev.LOW': '낮음',
    'status.RECEIVED': '수신', 'status.PROCESSING': '분석 중', 'status.COMPLETED': '완료', 'status.FAILED': '실패',
    'detail.close': '닫기', 'detail.summary': '요약', 'detail.rootCause': '근본 원인', 'detail.recommendation': '권장 조치',
    'detail.excerpt': '로그 발췌 (민감정보 가림)', 'detail.evidence': '근거 줄 {n}개 강조', 'detail.meta': '세부 정보',
    'detail.confidence': '신뢰도', 'detail.model': '모델', 'detail.engine': '엔진', 'detail.duration': '분석 시간',
    'detail.received': '수신', 'detail.completed': '완료', 'detail.latency': '수신 → 완료',
    'detail.requestId': '요청 ID', 'detail.correlationId': '상관관계 ID', 'detail.logId': '로그 ID', 'detail.analysisId': '분석 ID',
    'detail.fingerprint': '지문', 'detail.source': '경로', 'detail.priority': '우선순위', 'detail.tokens': 'LLM 토큰',
    'detail.cache': '캐시 적중', 'detail.fallback': '내장 엔진으로 대체', 'detail.error': '오류', 'detail.notFound': '분석 {id}을(를) 찾을 수 없습니다.',
    'detail.pending': '아직 분석 중입니다…', 'detail.copy': '링크 복사', 'detail.similar': '이 장애의 이력 보기',
    'yes': '예', 'no': '아니오',
    'patterns.title': '자주 반복되는 장애 (최근 24시간)', 'patterns.count': '횟수', 'patterns.trend': '추이 (24시간)',
    'patterns.lastSeen': '마지막 발생', 'patterns.latest': '최근 요약', 'patterns.fingerprint': '지문',
    'patterns.empty': '기간 내 반복된 장애가 없습니다.', 'patterns.rank': '#',
    'overview.analyses': '분석 (1시간)', 'overview.severe': '높음 + 치명 (1시간)', 'overview.p95': '분석 p95 (30분)',
    'overview.lag': '컨슈머 랙', 'overview.dlq': 'DLQ 레코드', 'overview.inflight': '처리 중',
    'overview.throughput': '처리량 — 분당 분석 수 (30분)', 'overview.latency': '분석 시간 — p50 / p95 (30분)',
    'overview.lagChart': '파티션별 컨슈머 랙 (실시간)', 'overview.severityMix': '심각도 분포 (24시간)',
    'overview.categories': '상위 분류 (24시간)', 'overview.services': '상위 서비스 (24시간)',
    'overview.noMetrics': '보고된 Kafka 랙이 없습니다 (Kafka 워커 미실행 또는 /metrics 없음).', 'overview.noData': '아직 데이터가 없습니다.',
    'overview.partition': '파티션 {p}',
    'dlq.title': '데드 레터 레코드', 'dlq.refresh': '새로고침', 'dlq.redrive': '재처리', 'dlq.confirmShort': '재처리 확인', 'dlq.redriving': '재처리 중…',
    'dlq.redriven': '{topic}(으)로 다시 보냈습니다 (파티션 {p}, 오프셋 {o}).', 'dlq.confirm': '이 메시지를 {topic}(으)로 다시 보내 분석할까요?',
    'dlq.failedAt': '실패 시각', 'dlq.code': '오류', 'dlq.reason': '사유', 'dlq.origin': '원본 위치', 'dlq.key': '키',
    'dlq.attempts': '시도', 'dlq.payload': '페이로드 (민감정보 가림)', 'dlq.empty': '데드 레터 토픽이 비어 있습니다.', 'dlq.disabled': '이 서버에는 Kafka가 설정되어 있지 않습니다.',
    'dlq.topic': '토픽 {topic} — 최신순', 'dlq.noPayload': '페이로드 없음', 'dlq.requestId': '요청 ID',
    'nav.incidents': '인시던트', 'inc.title': '인시던트 — 조치가 필요한 것부터', 'inc.status': '상태', 'inc.count': '횟수',
    'inc.firstSeen': '최초 발생', 'inc.lastSeen': '마지막 발생', 'inc.actions': '조치', 'inc.empty': '이 상태의 인시던트가 없습니다.',
    'inc.filter.active': '열림 + 재발', 'inc.filter.all': '전체', 'inc.filter.open': '열림', 'inc.filter.regressed': '재발',
    'inc.filter.muted': '알림 끔', 'inc.filter.resolved': '해결됨', 'inc.mutedUntil': '{t}까지 알림 끔',
    'inc.multi': '같은 장애가 다른 서비스에도 발생: {services}', 'inc.resolve': '해결', 'inc.confirmResolve': '해결 확인',
    'inc.mute': '1시간 알림 끄기', 'inc.reopen': '다시 열기', 'inc.unmute': '알림 켜기', 'inc.forbidden': '이 API 키는 읽기 전용입니다 (write 권한 필요).',
    'inc.done.resolve': '인시던트 {id}을(를) 해결했습니다.', 'inc.done.mute': '인시던트 {id}의 알림을 1시간 껐습니다.', 'inc.done.reopen': '인시던트 {id}을(를) 다시 열었습니다.',
    'error.load': '불러오지 못했습니다: {msg}', 'time.ago.s': '{n}초 전', 'time.ago.m': '{n}분 전', 'time.ago.h': '{n}시간 전', 'time.ago.d': '{n}일 전',
  },
};

const listeners = new Set();
let lang = localStorage.getItem('bifrost.lang') ?? (navigator.language?.startsWith('ko') ? 'ko' : 'en');
if (!dict[lang]) lang = 'en';

export const languages = Object.keys(dict);
export const currentLang = () => lang;

export function t(key, params) {
  const text = dict[lang][key] ?? dict.en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? `{${k}}`)) : text;
}

export function setLang(next) {
  if (!dict[next] || next === lang) return;
  lang = next;
  localStorage.setItem('bifrost.lang', lang);
  document.documentElement.lang = lang;
  listeners.forEach(fn => fn(lang));
}

export const onLangChange = fn => listeners.add(fn);

/** Locale-aware formatting used by every view. */
export const fmt = {
  time: d => (d ? new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d) : '—'),
  dateTime: d => (d ? new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', hour12: false }).format(d) : '—'),
  number: n => (n === undefined || n === null || Number.isNaN(n) ? '—' : new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(n)),
  // Durations are stored to the millisecond: 0 means "under 1 ms", not "instant".
  seconds: s => {
    if (s === undefined || s === null || Number.isNaN(s)) return '—';
    if (s < 0.001) return '<1 ms';
    if (s < 0.01) return `${+(s * 1000).toFixed(1)} ms`;
    return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(s < 10 ? 2 : 1)} s`;
  },
  /** Time of day for today, day + time otherwise (feed rows). */
  when: d => {
    if (!d) return '—';
    const locale = lang === 'ko' ? 'ko-KR' : 'en-GB';
    const today = new Date().toDateString() === d.toDateString();
    return new Intl.DateTimeFormat(locale, today
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }
      : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  },
  percent: p => (p === undefined || p === null ? '—' : `${Math.round(p * 100)}%`),
  ago: d => {
    if (!d) return '—';
    const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000));
    if (s < 60) return t('time.ago.s', { n: s });
    if (s < 3600) return t('time.ago.m', { n: Math.floor(s / 60) });
    if (s < 86400) return t('time.ago.h', { n: Math.floor(s / 3600) });
    return t('time.ago.d', { n: Math.floor(s / 86400) });
  },
};

/** Adds a feature's strings ({en: {...}, ko: {...}}) to the dictionary; features keep their texts in their own module. */
export function extend(texts) {
  for (const [code, entries] of Object.entries(texts)) Object.assign(dict[code] ??= {}, entries);
}
