using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis.Tests.Templates;

public class TemplateFingerprintTests
{
    [Theory]
    [InlineData("Connection to db-1.prod.internal:5432 timed out after 30000ms", "Connection to db-2.prod.internal:6432 timed out after 5000ms")]
    [InlineData("User alice@example.com not found in tenant 7f3e2a10-9c1b-4d2e-8f00-123456789abc", "User bob@example.org not found in tenant 0b1c2d3e-0000-4000-8000-abcdefabcdef")]
    [InlineData("Could not open /var/data/orders/2024-01-01.parquet", "Could not open /srv/other/file.parquet")]
    [InlineData("Table 'orders' doesn't exist", "Table 'customers' doesn't exist")]
    [InlineData("GET https://api.example.com/v1/items?id=3 failed", "GET https://api.example.com/v1/users?id=9 failed")]
    [InlineData("2024-05-01T10:00:00Z worker-3 retry 3 of 5 after 250 ms", "2025-12-31T23:59:59Z worker-12 retry 1 of 5 after 1 s")]
    [InlineData("Resolved db.example.com to 10.0.0.1", "Resolved cache.example.net to 192.168.1.20")]
    [InlineData("Connection to orders-db:5432 refused", "Connection to payments-db:6432 refused")]
    [InlineData("request_id=abc user=bob failed", "request_id=xyz user=eve failed")]
    public void Of_SameFailureWithDifferentValues_IsEqual(string one, string other)
    {
        Assert.Equal(TemplateFingerprint.Of(one), TemplateFingerprint.Of(other));
    }

    [Theory]
    [InlineData("Connection refused to db:5432", "Connection reset to db:5432")]
    [InlineData("java.lang.OutOfMemoryError: Java heap space", "java.lang.OutOfMemoryError: Metaspace")]
    [InlineData("java.lang.NullPointerException at Foo.bar", "java.lang.IllegalStateException at Foo.bar")]
    public void Of_DifferentFailures_Differ(string one, string other)
    {
        Assert.NotEqual(TemplateFingerprint.Of(one), TemplateFingerprint.Of(other));
    }

    [Fact]
    public void Of_IsStableAcrossProcessesAndVersions()
    {
        // A fixed value: fingerprints are stored and compared across runs, so the hash must not depend on the
        // process (string.GetHashCode does). Changing this value is a breaking change for stored fingerprints.
        Assert.Equal("7094e2e2395d7cfd", TemplateFingerprint.Of("Connection to db:5432 timed out after 30 s"));
        Assert.Matches("^[0-9a-f]{16}$", TemplateFingerprint.Of(string.Empty));
    }

    [Fact]
    public void TemplateOf_ShowsWhatWasMasked()
    {
        Assert.Equal("Connection to <*> timed out after <*> <*>", TemplateFingerprint.TemplateOf("Connection to db:5432 timed out after 30 s"));
    }
}
