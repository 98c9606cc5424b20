namespace Bifrost.Tests;

/// <summary>
/// Where the real Kafka broker and PostgreSQL started by scripts/test-services.sh listen.
/// scripts/test.sh exports these; a test that needs them fails loudly (never skips) when they are missing.
/// </summary>
internal static class TestServices
{
    public static string Kafka => Require("BIFROST_TEST_KAFKA");

    /// <summary>postgresql://postgres@127.0.0.1:PORT/bifrost</summary>
    public static string Postgres => Require("BIFROST_TEST_POSTGRES");

    /// <summary>scripts/test-services.sh, for fault tests that stop/start the broker or database.</summary>
    public static string Script => Require("BIFROST_TEST_SCRIPT");

    /// <summary>The test broker's Java libraries (Kafka 0.9 clients, Jackson), for the Heimdall emulator.</summary>
    public static string KafkaLibs => Require("BIFROST_TEST_KAFKA_LIBS");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through scripts/test.sh, which starts the real Kafka and PostgreSQL.");
}
