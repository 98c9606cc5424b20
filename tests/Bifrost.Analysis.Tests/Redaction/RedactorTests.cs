using Bifrost.Analysis.Redaction;

namespace Bifrost.Analysis.Tests.Redaction;

public class RedactorTests
{
    [Theory]
    [InlineData("connecting to postgres://app:s3cr3t!@db.prod:5432/orders", "connecting to postgres://app:<redacted:password>@db.prod:5432/orders")]
    [InlineData("GET https://bob:hunter2@example.com/x failed", "GET https://bob:<redacted:password>@example.com/x failed")]
    public void Redact_MasksPasswordsInUrls(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("Authorization: Bearer abc.def.ghi123", "Authorization: Bearer <redacted:credentials>")]
    [InlineData("authorization: Basic dXNlcjpwYXNzd29yZA==", "authorization: Basic <redacted:credentials>")]
    [InlineData("{\"Authorization\": \"Token 9f8e7d6c5b4a\", \"Accept\": \"json\"}", "{\"Authorization\": \"Token <redacted:credentials>\", \"Accept\": \"json\"}")]
    [InlineData("X-Api-Key: 0123456789abcdef", "X-Api-Key: <redacted:api_key>")]
    [InlineData("Cookie: session=abc123; theme=dark", "Cookie: <redacted:cookie>")]
    [InlineData("Set-Cookie: JSESSIONID=XYZ; Path=/", "Set-Cookie: <redacted:cookie>")]
    public void Redact_MasksCredentialHeaders(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Fact]
    public void Redact_MasksBearerTokensAnywhere()
    {
        Assert.Equal("calling api with bearer <redacted:token> now", Redactor.Redact("calling api with bearer A1b2C3d4E5f6G7h8 now"));
    }

    [Theory]
    [InlineData("password=hunter2 user=bob", "password=<redacted:password> user=bob")]
    [InlineData("db.password: hunter2", "db.password: <redacted:password>")]
    [InlineData("{\"user\":\"bob\",\"password\":\"p@ss w0rd\"}", "{\"user\":\"bob\",\"password\":\"<redacted:password>\"}")]
    [InlineData("{\"client_secret\": \"abc\\\"def\"}", "{\"client_secret\": \"<redacted:secret>\"}")]
    [InlineData("https://api.example.com/cb?code=1&access_token=xyz&state=2", "https://api.example.com/cb?code=1&access_token=<redacted:token>&state=2")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=<redacted:secret>")]
    [InlineData("api_key => 'k-123'", "api_key => '<redacted:api_key>'")]
    [InlineData("PGPASSWORD=abc psql -h db", "PGPASSWORD=<redacted:password> psql -h db")]
    [InlineData("credentials: AKx9", "credentials: <redacted:credentials>")]
    [InlineData("private_key=MIIEvQIBADANBg", "private_key=<redacted:private_key>")]
    public void Redact_MasksSecretKeyValues(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Fact]
    public void Redact_MasksJwts()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        Assert.Equal("token rejected: <redacted:jwt> (expired)", Redactor.Redact($"token rejected: {jwt} (expired)"));
    }

    [Theory]
    [InlineData("key AKIAIOSFODNN7EXAMPLE used", "key <redacted:aws_key> used")]
    [InlineData("push with ghp_abcdefghijklmnopqrstuvwxyz0123456789 failed", "push with <redacted:api_key> failed")]
    [InlineData("slack xoxb-123456789012-abcdefghij", "slack <redacted:api_key>")]
    [InlineData("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe <redacted:api_key>")]
    [InlineData("maps AIzaSyA-1234567890abcdefghijklmnopqrstu", "maps <redacted:api_key>")]
    [InlineData("openai sk-proj-abcdefghijklmnopqrstuvwxyz12", "openai <redacted:api_key>")]
    public void Redact_MasksVendorApiKeys(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Fact]
    public void Redact_MasksPemPrivateKeyBlocks()
    {
        const string input = "loaded key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabcdef==\n-----END RSA PRIVATE KEY-----\nstarting";
        Assert.Equal("loaded key:\n<redacted:private_key>\nstarting", Redactor.Redact(input));
    }

    [Fact]
    public void Redact_MasksATruncatedPemBlockToTheEnd()
    {
        Assert.Equal("key: <redacted:private_key>", Redactor.Redact("key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    }

    [Fact]
    public void Redact_KeepsPublicKeysAndCertificates()
    {
        const string input = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        Assert.Equal(input, Redactor.Redact(input));
    }

    [Theory]
    [InlineData("mail to bob.smith+ops@example.co.uk bounced", "mail to <email> bounced")]
    [InlineData("from=alice@corp.example.com to=ops@example.org", "from=<email> to=<email>")]
    public void Redact_MasksEmailAddresses(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("charge 4111 1111 1111 1111 declined", "charge <card> declined")]
    [InlineData("card=5500-0000-0000-0004", "card=<card>")]
    [InlineData("amex 378282246310005 ok", "amex <card> ok")]
    public void Redact_MasksLuhnValidCardNumbers(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("charge 4111 1111 1111 1112 declined")] // fails Luhn
    [InlineData("ts=1700000000000 took 30000ms")] // epoch millis: no card prefix
    [InlineData("request 7f3e2a10-9c1b-4d2e-8f00-123456789abc trace 4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("2024-05-01T10:00:00.123Z ERROR Connection to 10.0.0.12:5432 refused")]
    [InlineData("Processing token_count=512 max_tokens=4096 tokens=12")]
    [InlineData("Password policy updated; the token bucket is full")]
    [InlineData("akka.tcp://sparkExecutorActorSystem@mesos-slave-07:55904")]
    [InlineData("host db-1.prod.internal (10.1.2.3) port 5432")]
    [InlineData("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("if (a == b) return x;")]
    public void Redact_LeavesOrdinaryTextAlone(string input) => Assert.Equal(input, Redactor.Redact(input));

    [Fact]
    public void Redact_TenMegabyteLines_Finish()
    {
        // Shapes that make naive patterns backtrack: long runs of key characters, '@'s and digits.
        var runs = new[]
        {
            new string('a', 10_000_000) + "@",
            string.Concat(Enumerable.Repeat("a_", 5_000_000)) + "password=x",
            string.Concat(Enumerable.Repeat("4", 10_000_000)),
            "https://" + new string('u', 10_000_000),
            string.Concat(Enumerable.Repeat("eyJ", 3_000_000)),
        };

        foreach (var text in runs)
        {
            var redacted = Redactor.Redact(text);
            Assert.NotNull(redacted);
        }
    }

    [Fact]
    public void Redact_IsIdempotent()
    {
        const string input = "password=hunter2 Authorization: Bearer abcdefgh12345 mail bob@example.com";
        var once = Redactor.Redact(input);
        Assert.Equal(once, Redactor.Redact(once));
    }
}
