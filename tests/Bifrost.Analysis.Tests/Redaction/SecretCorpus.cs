namespace Bifrost.Analysis.Tests.Redaction;

/// <summary>
/// The table-driven secret corpus: realistic log lines carrying one or more secrets, by family (every family of
/// issue 14 plus the usual ones), and near-misses that must come out unchanged because they are the evidence an
/// engineer diagnoses with. All values are made up (random, right alphabet and length). A leak is any 8-character
/// window of a secret (or the whole of a shorter one) surviving redaction: a half-masked token is a leak.
/// Figures: docs/quality.md "Redaction".
/// </summary>
public static class SecretCorpus
{
    public sealed record SecretCase(string Family, string Text, params string[] Secrets)
    {
        public override string ToString() => $"{Family}: {(Text.Length > 60 ? Text[..60] + "…" : Text)}";
    }

    private static readonly string LongValue = string.Concat(Enumerable.Repeat("ycDeZ6dqmVe5Mvxrv99N", 460)); // 9,200 chars

    public static readonly SecretCase[] Secrets =
    [
        // AWS: key ids, secret keys after '=', ' = ', a space (aws configure, fish), or bare
        new("aws", "export AWS_ACCESS_KEY_ID=AKIAZ3MSJV4WQEXAMPL7", "AKIAZ3MSJV4WQEXAMPL7"),
        new("aws", "aws_secret_access_key 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", "PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA+"),
        new("aws", "[default]\naws_access_key_id = ASIAQ7YHZK2M4N6P8R0T\naws_secret_access_key = 2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KX", "ASIAQ7YHZK2M4N6P8R0T", "2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KX"),
        new("aws", "set -x AWS_SECRET_ACCESS_KEY 2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KX", "2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KX"),
        new("aws", "S3 client created with keys AKIAZ3MSJV4WQEXAMPL7 PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA+", "AKIAZ3MSJV4WQEXAMPL7", "PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA+"),
        new("aws", "{\"AccessKeyId\":\"ASIAQ7YHZK2M4N6P8R0T\",\"SecretAccessKey\":\"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\",\"SessionToken\":\"IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ\"}", "ASIAQ7YHZK2M4N6P8R0T", "2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KX", "IQoJb3JpZ2luX2VjEJr"),

        // Slack: webhook URLs and tokens
        new("slack-webhook", "POST https://hooks.slack.com/services/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 failed: 404 no_service", "T024BE7LD/B01ABCD2EFG/YrEqmSM9wCZ7Uw9xfogoEmvn", "YrEqmSM9wCZ7Uw9xfogoEmvn"),
        new("slack-webhook", "alerting.webhook_url: \"https://hooks.slack.com/workflows/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\"", "kX2mQ9vR4tL8wZ1nB6cF3hJ7"),
        new("slack", "slack client: token=xoxb-2401739082145-5581207483917-EN5N1aE6PwZPf1Qh6yYTWmE4 rate limited", "EN5N1aE6PwZPf1Qh6yYTWmE4"),
        new("slack", "using xoxp-2401739082145-2401739083201-5581211234567-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e", "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e"),
        new("discord-webhook", "webhook https://discord.com/api/webhooks/1234567890123456789/aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3 returned 401", "aB3dE5fG7hI9jK1lM3nO5pQ7"),

        // URL passwords, including '@', '/' and '#' in the password
        new("url-password", "connecting to postgres://orders:p@ss@w0rd!@db.prod.internal:5432/orders", "p@ss@w0rd!"),
        new("url-password", "redis connection lost: redis://:Sup3r@Secret/99@cache-1:6379/0", "Sup3r@Secret/99"),
        new("url-password", "amqp://guest:g#u3st!x9@rabbit:5672/ unreachable", "g#u3st!x9"),
        new("url-password", "mongodb+srv://svc-report:Zq8pL2vX9mK4@cluster0.ab1cd.mongodb.net/reports?retryWrites=true", "Zq8pL2vX9mK4"),
        new("url-password", "git fetch https://x-access-token:ghs_4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3Jr@github.com/org/repo.git", "4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3Jr"),

        // Database passwords by key name, flag or connection string
        new("db-password", "DB_PASS=Tr0ub4dor&3 DB_HOST=db.prod", "Tr0ub4dor&3"),
        new("db-password", "settings: db_pw='x7#Kp!2mQ' db_user=app", "x7#Kp!2mQ"),
        new("db-password", "mysqldump --user=root --password Zq9!vR2#kL --single-transaction app", "Zq9!vR2#kL"),
        new("db-password", "psql --password=Ab3$dE6^gH -h db.prod -U report", "Ab3$dE6^gH"),
        new("db-password", "Server=tcp:sql.prod,1433;Database=orders;User ID=app;Password=W3lc0me!2024;Encrypt=True", "W3lc0me!2024"),
        new("db-password", "Host=db;Username=app;Pwd=hK8#mN2$pQ5;Pooling=true", "hK8#mN2$pQ5"),
        new("db-password", "PGPASSWORD=n0tS0Secret psql -h db -c 'select 1'", "n0tS0Secret"),
        new("db-password", "spring.datasource.password: Qx7!mK9#vL2", "Qx7!mK9#vL2"),
        new("db-password", "<password>Kp9$vX2!mR7</password> rejected by LDAP", "Kp9$vX2!mR7"),
        new("db-password", "MYSQL_ROOT_PASSWORD hunter2hunter2 is too weak", "hunter2hunter2"),

        // Azure
        new("azure", "DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey=UD+/Ydua/5ZMs1SWOpQaPRYpzbLGViYXjU2JgJngKtFI3OyV2dZAkg05rK/gqv81RKMGHZEM9YpvujA+C5Q52r==;EndpointSuffix=core.windows.net", "UD+/Ydua/5ZMs1SWOpQaPRYpzbLGViYXjU2JgJngKtFI3OyV2dZAkg05rK/gqv81RKMGHZEM9YpvujA+C5Q52r=="),
        new("azure", "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO6qS8u=", "kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO6qS8u="),
        new("azure", "blob GET https://prodlogs.blob.core.windows.net/c/x.log?sv=2022-11-02&ss=b&sig=aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9d%3D&se=2024-06-01", "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9d%3D"),
        new("azure", "AZURE_CLIENT_SECRET=Ab3~Q~x9Lq3Zk7Pw2Ry8Tv5Nm1Qs4Ud6Wf8YhZa", "Ab3~Q~x9Lq3Zk7Pw2Ry8Tv5Nm1Qs4Ud6Wf8YhZa"),

        // SendGrid and Bifrost's own keys
        new("sendgrid", "mail send failed with key 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: 401", "8F5n3-YNBDRzrZSgqbjG3u", "hkWKFLf6xuI5aHUQPFeNBTxaQWk8JzFalHlsZfYcMMD"),
        new("bifrost-key", "curl -H 'X-API-Key: bfk_ktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9' http://bifrost:8080/api/v1/analyses", "ktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9"),
        new("bifrost-key", "new key bfk_ktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9 created for heimdall", "ktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9"),

        // Cards: dots, double spaces, glued to letters, plain groups
        new("card", "charge declined for card 4111.1111.1111.1111 (insufficient funds)", "4111.1111.1111.1111", "1111.1111.1111"),
        new("card", "pan 5500  0000  0000  0004 exp 12/26", "5500  0000  0000  0004", "0000  0000  0004"),
        new("card", "payload card4111111111111111exp1226cvv", "4111111111111111"),
        new("card", "Visa 4012-8888-8888-1881 authorised", "4012-8888-8888-1881"),
        new("card", "amex 3782 822463 10005 refund", "3782 822463 10005"),

        // E-mails: ASCII, IDN and Korean local parts
        new("email", "password reset mail to bob.smith+ops@example.co.uk bounced", "bob.smith+ops@example.co.uk", "bob.smith"),
        new("email", "user müller@bücher.de unsubscribed", "müller@bücher.de"),
        new("email", "알림 메일 발송 실패: 홍길동@회사.한국 (사서함 없음)", "홍길동@회사.한국", "홍길동"),
        new("email", "notify 김민수@naver.com failed", "김민수@naver.com"),
        new("email", "smtp rcpt info@xn--bcher-kva.de rejected", "info@xn--bcher-kva.de"),
        new("email", "owner: 田中太郎@例え.jp", "田中太郎@例え.jp"),

        // Korean resident registration numbers and phone numbers; other national ids and phones
        new("korean-rrn", "본인확인 실패: 주민등록번호 900101-1234567 불일치", "900101-1234567", "1234567"),
        new("korean-rrn", "kyc.rrn=851231-2345678 status=rejected", "851231-2345678"),
        new("korean-phone", "SMS 발송 실패 010-1234-5678 (timeout)", "010-1234-5678", "1234-5678"),
        new("korean-phone", "callback +82 10-9876-5432 unreachable", "10-9876-5432", "9876-5432"),
        new("korean-phone", "고객센터 02-3456-7890 연결 실패", "02-3456-7890", "3456-7890"),
        new("korean-phone", "phone=01098765432 verified=false", "01098765432"),
        new("korean-phone", "tel:+82-31-123-4567", "31-123-4567"),
        new("phone", "customer (415) 555-2671 called twice", "555-2671"),
        new("phone", "twilio: to=+14155552671 status=undelivered", "14155552671"),
        new("phone", "contact +44 20 7946 0958 for escalation", "20 7946 0958"),
        new("ssn", "ssn 536-22-1187 failed validation", "536-22-1187"),

        // Private keys: PEM, PGP, OpenSSH, encrypted, PuTTY; JSON-escaped newlines
        new("private-key", "loaded key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7k3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5sA0e\n-----END RSA PRIVATE KEY-----\nstarting", "MIIEpAIBAAKCAQEA7k3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5sA0e"),
        new("private-key", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBGXk3nABEADh7Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O\n=x9Lq\n-----END PGP PRIVATE KEY BLOCK-----", "lQdGBGXk3nABEADh7Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O"),
        new("private-key", "{\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n\",\"client_email\":\"svc@proj.iam.gserviceaccount.com\"}", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", "svc@proj.iam.gserviceaccount.com"),
        new("private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz"),
        new("private-key", "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56wAAAi4AAAA3aWYtbW9kbntzaWdue3JzYS1wa2NzMS1zaGExfSxlbmNyeXB0\n---- END SSH2 ENCRYPTED PRIVATE KEY ----", "P2/56wAAAi4AAAA3aWYtbW9kbntzaWdue3JzYS1wa2NzMS1zaGExfSxlbmNyeXB0"),
        new("private-key", "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPrivate-Lines: 2\nAAABAQCnK3b8sL2q9Zx7vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO6qS8uW0yA2cE\nBBBBCnK3b8sL2q9Zx7vR4tL8wZ\nPrivate-MAC: 8f3a1c7e5b2d4f6a8c0e1b3d5f7a9c1e3b5d7f90", "AAABAQCnK3b8sL2q9Zx7vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO6qS8uW0yA2cE"),
        new("private-key", "key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBk3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO (truncated)", "MHcCAQEEIBk3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4mO"),

        // Values longer than 8,192 characters: the tail must go too
        new("long-value", "password=" + LongValue + " next=1", LongValue[^40..]),
        new("long-value", "Authorization: Bearer " + LongValue, LongValue[^40..]),
        new("long-value", "{\"api_key\":\"" + LongValue + "\"}", LongValue[^40..]),

        // Source control, chat, payment, AI and registry tokens
        new("github", "push rejected: ghp_4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3Jr is revoked", "4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3Jr"),
        new("github", "GITHUB_TOKEN=gho_TAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8", "TAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8"),
        new("github", "token github_pat_11ABCDEFG0NPRVdD53X83RZJzzzzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq9wMxEhh2F_DEEtfjgVvVqE1SkHbn88Hx used", "NPRVdD53X83RZJzzzzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq9wMxEhh2F_DEEtfjgVvVqE1SkHbn88Hx"),
        new("gitlab", "git clone https://oauth2:glpat-sdMlHUvTCQCyEZDz-Tdd@gitlab.com/g/p.git", "sdMlHUvTCQCyEZDz-Tdd"),
        new("gitlab", "runner registered with glrt-t1_sdMlHUvTCQCyEZDz-TddxYz12.01.abc123xyz", "sdMlHUvTCQCyEZDz-TddxYz12"),
        new("stripe", "Stripe::AuthenticationError: Invalid API Key provided: sk_live_EN5N1aE6PwZPf1Qh6yYTWmE4", "EN5N1aE6PwZPf1Qh6yYTWmE4"),
        new("stripe", "STRIPE_WEBHOOK_SECRET=whsec_kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG", "kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG"),
        new("stripe", "restricted key rk_live_51HqLyjWDarjtT1zdp7dcEN5N1aE6PwZ in use", "51HqLyjWDarjtT1zdp7dcEN5N1aE6PwZ"),
        new("google", "maps request key=AIzaSyw3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1 denied", "w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1"),
        new("google", "oauth access token ya29.a0AfB_byC8F5n3YNBDRzrZSgqbjG3uhkWKFLf6xuI5aHUQ expired", "a0AfB_byC8F5n3YNBDRzrZSgqbjG3uhkWKFLf6xuI5aHUQ"),
        new("openai", "OpenAI error 401 for key sk-proj-hT61qtc4xatws8phP9nhFyJfm5di4PzJ59FHz5r1pY4OjE2j", "hT61qtc4xatws8phP9nhFyJfm5di4PzJ59FHz5r1pY4OjE2j"),
        new("anthropic", "ANTHROPIC_API_KEY=sk-ant-api03-BMptUsGr7CmY_uCu3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt-PlJhx2jIclHkCiHp6bR1IqfEouHgxzNNAL5wIScGebcy", "BMptUsGr7CmY_uCu3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt"),
        new("npm", "//registry.npmjs.org/:_authToken=npm_6RsXcNOPmeMjvqPVStNKiaEdFrRgSnRFsTHs", "6RsXcNOPmeMjvqPVStNKiaEdFrRgSnRFsTHs"),
        new("huggingface", "hub login with 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 failed", "DDDXhJmtfEbsDeGCrynneLfjVHqxiMOGrh"),
        new("digitalocean", "doctl auth init -t dop_v1_0d9106fd287db7f1adbc60926f6967e7893f57fd14c1604d115cea325a65e19c", "0d9106fd287db7f1adbc60926f6967e7893f57fd14c1604d115cea325a65e19c"),
        new("vault", "X-Vault-Token: hvs.CAESIJ7kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6OGh4KHGh2cy5ZWjN2", "CAESIJ7kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O"),
        new("twilio", "twilio api key SKbae530282bd36cb9d21f6be6abf0d7c1 auth_token=0d9106fd287db7f1adbc60926f6967e7", "bae530282bd36cb9d21f6be6abf0d7c1", "0d9106fd287db7f1adbc60926f6967e7"),
        new("datadog", "DD_API_KEY=bae530282bd36cb9d21f6be6abf0d7c1 agent starting", "bae530282bd36cb9d21f6be6abf0d7c1"),
        new("telegram", "telegram bot 7012345678:AAHkWKFLf6xuI5aHUQPFeNBTxaQWk8JzFal polling failed", "AAHkWKFLf6xuI5aHUQPFeNBTxaQWk8JzFal"),

        // JWTs, auth headers, cookies, session ids, generic key names
        new("jwt", "token rejected: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.yFlwRlOEVHzc0X0AWIRh-JUqBlIFXZ53Ncqe28_ajY75Fn (expired)", "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ", "yFlwRlOEVHzc0X0AWIRh"),
        new("auth-header", "GET /api/orders Authorization: Basic YWRtaW46UzNjcjN0UGFzcw== 401", "YWRtaW46UzNjcjN0UGFzcw=="),
        new("auth-header", "{\"headers\":{\"authorization\":\"Bearer 8F5n3YNBDRzrZSgqbjG3uhkWKFLf6xuI5aHUQ\",\"accept\":\"*/*\"}}", "8F5n3YNBDRzrZSgqbjG3uhkWKFLf6xuI5aHUQ"),
        new("auth-header", "upstream sent Proxy-Authorization: Digest username=\"app\", response=\"6629fae49393a05397450978507c4ef1\"", "6629fae49393a05397450978507c4ef1"),
        new("auth-header", "retrying with basic auth dXNlcjpTM2NyM3RQYXNz", "dXNlcjpTM2NyM3RQYXNz"),
        new("cookie", "Cookie: JSESSIONID=9F8E7D6C5B4A39281706F5E4D3C2B1A0; theme=dark", "9F8E7D6C5B4A39281706F5E4D3C2B1A0"),
        new("cookie", "Set-Cookie: session=eyJ1c2VyIjoiYm9iIn0.ZmFrZXNpZw.kX2mQ9vR4tL8; HttpOnly", "kX2mQ9vR4tL8"),
        new("session", "sessionId=kX2mQ9vR4tL8wZ1nB6cF3hJ7 expired", "kX2mQ9vR4tL8wZ1nB6cF3hJ7"),
        new("generic", "config loaded: {\"clientSecret\": \"kX2mQ9vR4tL8wZ1nB6cF3hJ7\", \"clientId\": \"orders\"}", "kX2mQ9vR4tL8wZ1nB6cF3hJ7"),
        new("generic", "encryption_key: 'Zx8Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0S'", "Zx8Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0S"),
        new("generic", "JWT_SECRET=kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG", "kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG"),
        new("generic", "payment.api.token := \"Tk_8F5n3YNBDRzrZSgqbjG3u\"", "Tk_8F5n3YNBDRzrZSgqbjG3u"),
        new("generic", "{\\\"password\\\":\\\"Qx7!mK9#vL2\\\"} in escaped payload", "Qx7!mK9#vL2"),
        new("generic", "opts => { :api_key => 'kX2mQ9vR4tL8wZ1nB6cF3hJ7' }", "kX2mQ9vR4tL8wZ1nB6cF3hJ7"),
        new("generic", "callback https://api.example.com/cb?code=1&access_token=kX2mQ9vR4tL8wZ1nB6cF3hJ7&state=2", "kX2mQ9vR4tL8wZ1nB6cF3hJ7"),
        new("generic", "random credential in logs: Zq8pL2vX9mK4nB6cF3hJ7wY1tR5sA0eG2iK", "Zq8pL2vX9mK4nB6cF3hJ7wY1tR5sA0eG2iK"),
    ];

    public static readonly string[] NearMisses =
    [
        "request 7f3e2a10-9c1b-4d2e-8f00-123456789abc failed after 3 retries",
        "deployed commit 9fceb02d0ae598e95dc970b74767f19372d61af8 to prod",
        "\tat com.shop.Orders$$EnhancerBySpringCGLIB$$4e5f6a7b.place(<generated>)",
        "pulling image sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "spring-boot 3.2.1, kafka-clients 3.7.0, node v20.11.1, openssl 3.0.13",
        "connect to 10.1.2.3:5432 failed: Connection refused",
        "listening on [2001:db8::1]:443 and 0.0.0.0:8080",
        "2024-05-01T10:00:00.123Z ERROR took 30000ms",
        "ts=1704067200000 offset=1714557600123 epoch=1704067200",
        "processed 1234567890123 bytes in 42 batches",
        "order 4111111111111112 not found",
        "java.net.SocketTimeoutException: Read timed out",
        "Processing token_count=512 max_tokens=4096 tokens=12",
        "Password policy updated; the token bucket is full",
        "FATAL: password authentication failed for user \"app\"",
        "Invalid token: expired",
        "Authorization failed: insufficient scope for orders:write",
        "produce key=orders-2024-05 partition=3 offset=18234",
        "cache key user:42 evicted; primary_key=id",
        "consumer-orders-1-3f2a9b7c-1d2e-4f5a-9b8c-7d6e5f4a3b2c joined the group",
        "pod orders-7d9f8b6c5-x2k4j OOMKilled",
        "host db-1.prod.internal (10.1.2.3) port 5432",
        "GET /api/v1/orders/123?page=2&size=50 200 12ms",
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "lock held by java.lang.Object@5f4da5c3",
        "akka.tcp://sparkExecutorActorSystem@mesos-slave-07:55904 disassociated",
        "fetch https://registry.npmjs.org:443/@babel/core failed",
        "2024년 5월 1일 오전 10시 결제 실패 (금액 ₩1,234,567)",
        "x-request-id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "ETag: \"33a64df551425fcc55e4d42a148795d9f25f89d4\"",
        "PWD=/home/app OLDPWD=/",
        "sig-storage-local-static-provisioner v2.5.0 started",
        "if (a == b) return x;",
        "C:\\Program Files\\App\\bin\\app.exe exited with code 3221225477",
        "build 2024-05-01-1234 ok; ticket JIRA-4521; PR #812",
        "GC pause 123.456 ms; heap 1024.5 MB; 99.9th percentile 2.5 s",
        "retry in 1.5s (attempt 3/5), backoff=PT2S",
        "version 10.0.19045.3803 build 1.2.3.4",
        "The authentication token is missing from the request",
        "session closed by peer after 30s",
        "key rotation scheduled; secret_name=db-creds; token_type=Bearer",
        "tablespace pg_default 123456789 bytes, oid 16384",
        "kafka: Offset commit failed for group heimdall-analysis partition 7 at offset 4412334",
        "docker: container 3f4e5d6c7b8a exited (137)",
        "Caused by: org.postgresql.util.PSQLException: FATAL: sorry, too many clients already",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0.0.0",
        "uuid 550e8400e29b41d4a716446655440000 assigned",
        "base image python:3.12-slim@sha256:2f6a1c4e8b0d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a",
        "latency p50=12ms p95=87ms p99=240ms over 10000 requests",
    ];
}
