// Heimdall as the tests meet it: its producers (release 1: snappy, key = logId; release 2: gzip, key = job_id) and its
// consumers' parsing of what Bifrost publishes, with the Kafka 0.9 Java client and Jackson (jackson-databind 2.5, both
// from the test broker's libs). Written from shared/contract/heimdall/README.md: one ObjectMapper = new ObjectMapper()
// (FAIL_ON_UNKNOWN_PROPERTIES on: an unknown key anywhere fails the message), StringDeserializer for key and value, a
// null key fails the listener, JavaTimeModule's date handling (not in these libs) replayed with java.time, and
// Heimdall's column limits checked as its inserts would.
//
//   java -cp "<libs>/*:<classes>" HeimdallEmulator produce BOOTSTRAP TOPIC v1|v2 FILE...
//   java -cp "<libs>/*:<classes>" HeimdallEmulator consume BOOTSTRAP TOPIC guide|v1|v2 result|dlq
//       prints READY once positioned at the topic's end, then one JSON line per record read, until stdin closes.
//   java -cp "<libs>/*:<classes>" HeimdallEmulator parse guide|v1|v2 result|dlq   (one record per stdin line: key TAB value)
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

public final class HeimdallEmulator {
    /** Heimdall's one ObjectMapper: defaults only (no naming strategy, unknown properties fail). */
    static final ObjectMapper MAPPER = new ObjectMapper();

    static final DateTimeFormatter WIRE_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    // ---- Release 1 DTOs (camelCase) ----
    public static final class V1AnalysisResult {
        public String summary, rootCause, recommendation, severity;
        public BigDecimal confidence;
    }

    public static final class V1AnalysisResultEvent {
        public String requestId, correlationId, timestamp, model;
        public Long logId, bifrostAnalysisId;
        public V1AnalysisResult analysisResult;
        public BigDecimal durationSeconds;
    }

    // ---- Release 2 DTOs (snake_case field names, as its DTOs spell them) ----
    public static final class TokenUsage {
        public Integer prompt_tokens, completion_tokens, total_tokens;
    }

    public static final class V2AnalysisResultEvent {
        public Integer schema_version;
        public String job_id, status, summary, root_cause, recommendation, severity, model_used, error_code, error_message, trace_id, timestamp;
        public BigDecimal confidence;
        public TokenUsage token_usage;
        public Long latency_ms, log_id;
        public JsonNode result;
    }

    public static final class DlqFailedEvent {
        public Integer schema_version, original_partition;
        public String job_id, idempotency_key, error_code, error_message, trace_id, original_topic, failed_at;
        public Long original_offset;
        public Map<String, Object> payload;
    }

    // ---- The guide's contract, parsed as strictly ("Heimdall may parse strictly") ----
    public static final class GuideAnalysisResult {
        public String summary, root_cause, recommendation, severity;
        public BigDecimal confidence;
    }

    public static final class GuideResult {
        public String request_id, correlation_id, timestamp, model;
        public Long log_id, bifrost_analysis_id;
        public GuideAnalysisResult analysis_result;
        public BigDecimal duration_seconds;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce": produce(args[1], args[2], args[3], java.util.Arrays.copyOfRange(args, 4, args.length)); break;
            case "consume": consume(args[1], args[2], args[3], args[4]); break;
            case "parse": parseStdin(args[1], args[2]); break;
            default: throw new IllegalArgumentException("usage: produce|consume|parse");
        }
    }

    /** As each release's producer writes: StringSerializer, its compression, its key. */
    static void produce(String bootstrap, String topic, String release, String[] files) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("retries", "3");
        p.put("compression.type", release.equals("v1") ? "snappy" : "gzip");
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String file : files) {
                String value = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
                JsonNode request = MAPPER.readTree(value);
                String key = release.equals("v1") ? request.get("logId").asText() : request.get("job_id").asText();
                RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key, value)).get();
                System.out.println("{\"key\":" + MAPPER.writeValueAsString(key) + ",\"partition\":" + sent.partition() + ",\"offset\":" + sent.offset() + "}");
            }
        }
    }

    static void consume(String bootstrap, String topic, String dialect, String kind) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "heimdall-emulator-" + UUID.randomUUID());
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        final AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try { while (System.in.read() >= 0) { } } catch (Exception ignored) { }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = null;
            for (int i = 0; i < 150 && (infos == null || infos.isEmpty()); i++) {
                infos = consumer.partitionsFor(topic); // the 0.9 broker creates the topic on this metadata request
                if (infos == null || infos.isEmpty()) Thread.sleep(200);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) partitions.add(new TopicPartition(topic, info.partition()));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions.toArray(new TopicPartition[0]));
            for (TopicPartition tp : partitions) consumer.position(tp);
            System.out.println("READY");
            System.out.flush();
            while (!stop.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(200)) {
                    ObjectNode line = verdict(dialect, kind, record.key(), record.value());
                    line.put("partition", record.partition());
                    line.put("offset", record.offset());
                    System.out.println(MAPPER.writeValueAsString(line));
                    System.out.flush();
                }
            }
        }
    }

    static void parseStdin(String dialect, String kind) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int tab = line.indexOf('\t');
            String key = line.substring(0, tab);
            System.out.println(MAPPER.writeValueAsString(verdict(dialect, kind, key.equals("\u0000") ? null : key, line.substring(tab + 1))));
        }
    }

    /** Whether the release accepts the record, and why not: its parse, then its non-null rules and column limits. */
    static ObjectNode verdict(String dialect, String kind, String key, String value) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("key", key);
        out.put("value", value);
        try {
            if (key == null) throw new IllegalStateException("null record key: the listener requires the key header");
            String target = dialect + "/" + kind;
            switch (target) {
                case "v1/result": checkV1(MAPPER.readValue(value, V1AnalysisResultEvent.class)); break;
                case "v2/result": checkV2(MAPPER.readValue(value, V2AnalysisResultEvent.class)); break;
                case "v2/dlq": out.put("job_linked", checkDlq(MAPPER.readValue(value, DlqFailedEvent.class))); break;
                case "guide/result": checkGuide(MAPPER.readValue(value, GuideResult.class)); break;
                default: throw new IllegalArgumentException("no parser for " + target);
            }
            out.put("ok", true);
        } catch (Exception e) {
            out.put("ok", false);
            out.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return out;
    }

    static void checkV1(V1AnalysisResultEvent e) {
        require(e.requestId != null && e.logId != null && e.analysisResult != null && e.analysisResult.severity != null
            && e.durationSeconds != null && e.timestamp != null, "a non-null field is null");
        LocalDateTime.parse(e.timestamp, WIRE_TIMESTAMP);
        max("requestId", e.requestId, 36);
        max("correlationId", e.correlationId, 36);
        max("severity", e.analysisResult.severity, 20);
        max("model", e.model, 100);
        decimal("confidence", e.analysisResult.confidence, 3, 2);
        decimal("durationSeconds", e.durationSeconds, 10, 2);
    }

    static void checkV2(V2AnalysisResultEvent e) {
        require(e.job_id != null && e.status != null, "job_id and status must not be null");
        require(e.job_id.length() == 36 && UUID.fromString(e.job_id).toString().equalsIgnoreCase(e.job_id), "job_id is not a canonical UUID: " + e.job_id);
        if (e.timestamp != null) LocalDateTime.parse(e.timestamp, WIRE_TIMESTAMP);
        if ("FAILED".equals(e.status)) {
            max("error_code", e.error_code, 100);
            max("trace_id", e.trace_id, 128);
            return;
        }
        require(e.log_id != null, "log_id must not be null on success");
        max("trace_id", e.trace_id, 36);
        max("severity", e.severity, 20);
        max("model_used", e.model_used, 100);
        decimal("confidence", e.confidence, 3, 2);
        if (e.latency_ms != null) decimal("latency_ms/1000", BigDecimal.valueOf(e.latency_ms).movePointLeft(3).stripTrailingZeros(), 10, 2);
    }

    /** True when Heimdall can find the job (job_id or idempotency_key), else it logs "job not found". */
    static boolean checkDlq(DlqFailedEvent e) {
        if (e.failed_at != null) localDateTime(e.failed_at);
        return e.job_id != null || e.idempotency_key != null;
    }

    static void checkGuide(GuideResult e) {
        require(e.request_id != null && e.correlation_id != null && e.timestamp != null && e.log_id != null && e.analysis_result != null
            && e.bifrost_analysis_id != null && e.model != null && e.duration_seconds != null, "a required field is null");
        LocalDateTime.parse(e.timestamp, WIRE_TIMESTAMP);
    }

    /** JavaTimeModule's LocalDateTimeDeserializer: ISO local date-time with T; a trailing Z is read as an instant in UTC. */
    static LocalDateTime localDateTime(String text) {
        if (text.length() > 10 && text.charAt(10) == 'T') {
            return text.endsWith("Z")
                ? LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC)
                : LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
        return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    static void max(String field, String value, int length) {
        require(value == null || value.length() <= length, field + " is longer than its column (" + length + "): " + (value == null ? 0 : value.length()));
    }

    static void decimal(String field, BigDecimal value, int precision, int scale) {
        if (value == null) return;
        BigDecimal v = value.stripTrailingZeros();
        require(Math.max(v.scale(), 0) <= scale, field + " has more than " + scale + " decimals: " + value.toPlainString());
        require(v.precision() - v.scale() <= precision - scale, field + " does not fit DECIMAL(" + precision + "," + scale + "): " + value.toPlainString());
    }

    static void require(boolean condition, String message) {
        if (!condition) throw new IllegalStateException(message);
    }
}
