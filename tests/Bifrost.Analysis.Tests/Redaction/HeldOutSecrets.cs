namespace Bifrost.Analysis.Tests.Redaction;

/// <summary>
/// A second set, written after <see cref="SecretCorpus"/> and the redactor and measured once before any change made
/// for it (docs/quality.md reports both figures): other tools' command lines, other config syntaxes, other
/// vendors, other spellings of the same families. It is kept apart so the first figure stays an honest
/// "not tuned on this" number.
/// </summary>
public static class HeldOutSecrets
{
    public static readonly SecretCorpus.SecretCase[] Secrets =
    [
        new("cli", "docker login -u deploy -p Xk9#mPq2Lw registry.example.com", "Xk9#mPq2Lw"),
        new("cli", "curl -u admin:S3cr3tP4ss https://jenkins.internal/api/json", "S3cr3tP4ss"),
        new("cli", "exec: mysql -uroot -pR00tP4ss! -h db orders", "R00tP4ss!"),
        new("cli", "sshpass -p 'hunter2x9' ssh deploy@10.0.0.5", "hunter2x9"),
        new("cli", "redis-cli -h cache -a Sup3rS3cretR3dis ping", "Sup3rS3cretR3dis"),
        new("config", "data:\n  password: cGFzc3dvcmQxMjM0NQ==\n  username: YWRtaW4=", "cGFzc3dvcmQxMjM0NQ=="),
        new("config", "//npm.pkg.github.com/:_auth=ZGVwbG95OmdocF9hYmNkZWZnaGlqa2xtbm9w", "ZGVwbG95OmdocF9hYmNkZWZnaGlqa2xtbm9w"),
        new("config", "SECRET_KEY_BASE=9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        new("config", "HEROKU_API_KEY=2c6fe3a5-8b1d-4e7f-9a2c-5d8e1f4b7a3c", "2c6fe3a5-8b1d-4e7f-9a2c-5d8e1f4b7a3c"),
        new("config", "jdbc:mysql://db:3306/app?user=root&password=Xy12!abQ&useSSL=true", "Xy12!abQ"),
        new("config", "ldap.bind.credential = 'Bnd!Cr3d9x'", "Bnd!Cr3d9x"),
        new("config", "smtp: { host: mail, user: alerts, pass: 'M4il!Pass77' }", "M4il!Pass77"),
        new("config", "REACT_APP_FIREBASE_API_KEY=AIzaSyD9kQ2mX7vL4pR8tW1zB6nC3jF5hG0sA2e", "AIzaSyD9kQ2mX7vL4pR8tW1zB6nC3jF5hG0sA2e"),
        new("config", "keystore password is changeit2024 and truststorePassword=Tru5tM3!", "Tru5tM3!"),
        new("header", "request headers: {'Authorization': 'Bearer 4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O', 'X-Request-Id': 'abc'}", "4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O"),
        new("header", "api-key: 8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d"),
        new("header", "X-Shopify-Access-Token: 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", "0d9106fd287db7f1adbc60926f6967e7"),
        new("token", "refresh_token=1//0gLq3Zk7Pw2Ry8Tv5Nm1Qs4Ud6Wf8YhZaB3dE5fG7hI9 exchanged", "0gLq3Zk7Pw2Ry8Tv5Nm1Qs4Ud6Wf8YhZa"),
        new("token", "id_token: eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ.Zx8Kq2Lm9Pv4Rt7Yw1Nb", "eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ"),
        new("token", "gitlab ci token glpat-Zx8Kq2Lm9Pv4Rt7Yw1Nb in job 812", "Zx8Kq2Lm9Pv4Rt7Yw1Nb"),
        new("token", "linear: lin_api_Zx8Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O", "Zx8Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O"),
        new("token", "groq key 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 rejected", "Zx8Kq2Lm9Pv4Rt7Yw1Nb6Hc3Jd5Fg0Sa2Qe4Ui6O"),
        new("token", "slack app token xapp-1-A05B6C7D8E9-6182736451234-9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        new("token", "Discord bot: MTA5ODc2NTQzMjEwOTg3NjU0Mw.GxYz12.kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4m", "kX2mQ9vR4tL8wZ1nB6cF3hJ7pD5sA0eG2iK4m"),
        new("url", "proxy http://svc_user:Pr0xy!Pass@proxy.corp:3128 refused", "Pr0xy!Pass"),
        new("url", "amqps://broker:Q9!wE3$rT7@mq.prod:5671/%2f", "Q9!wE3$rT7"),
        new("url", "webhook https://outlook.webhook.office.com/webhookb2/7f3e2a10-9c1b-4d2e-8f00-123456789abc@1a2b3c4d-9c1b-4d2e-8f00-123456789abc/IncomingWebhook/0d9106fd287db7f1adbc60926f6967e7/5d8e1f4b-7a3c-4e7f-9a2c-2c6fe3a58b1d", "0d9106fd287db7f1adbc60926f6967e7"),
        new("card", "stored card number 4000 0566 5566 5556 for user 42", "4000 0566 5566 5556"),
        new("card", "\"cardNumber\":5105105105105100,\"cvv\":\"123\"", "5105105105105100"),
        new("card", "PAN:6011111111111117;exp=0927", "6011111111111117"),
        new("email", "From: \"Ops Team\" <OPS.Team+alerts@Mail.Example.COM>", "OPS.Team+alerts@Mail.Example.COM"),
        new("email", "invite sent to ivan.petrov@почта.рф", "ivan.petrov@почта.рф"),
        new("email", "user=이영희.kim@samsung.co.kr login failed", "이영희.kim@samsung.co.kr"),
        new("phone", "SMS to 010.9876.5432 failed", "010.9876.5432", "9876.5432"),
        new("phone", "contact: +82 2 312 4567", "2 312 4567"),
        new("phone", "callback 070-4321-8765 busy", "070-4321-8765"),
        new("phone", "phone: +49 30 901820 reachable", "30 901820"),
        new("rrn", "주민번호: 020315-4123456 (미성년자)", "020315-4123456"),
        new("private-key", "ssh key: -----BEGIN DSA PRIVATE KEY-----\\nMIIBuwIBAAKBgQDk3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5\\n-----END DSA PRIVATE KEY-----", "MIIBuwIBAAKBgQDk3nB8q2Lx9vR4tL8wZ1nB6cF3hJ7pD5"),
        new("private-key", "age key AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQQPZRY9X8GF2TVDW0S3JN54KH", "QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
        new("generic", "password reset: new password is \"Tmp!2024xyz\" for bob", "Tmp!2024xyz"),
        new("generic", "login(user='bob', password='Sup3r!S3cret')", "Sup3r!S3cret"),
        new("generic", "Bad credentials for app_secret=kX2mQ9vR4tL8wZ1n", "kX2mQ9vR4tL8wZ1n"),
        new("generic", "passphrase: correct-horse-battery-staple-42", "correct-horse-battery-staple-42"),
    ];

    /// <summary>
    /// Held-out cases still missed, kept in the figures: a bare password with neither a key name, a flag, a prefix
    /// nor the length of a random token is indistinguishable from an ordinary word.
    /// </summary>
    public static readonly SecretCorpus.SecretCase[] KnownMisses =
    [
        new("generic", "vault read -field=value secret/db → 7Hq!mZ2x9Lp4", "7Hq!mZ2x9Lp4"),
    ];

    public static readonly string[] NearMisses =
    [
        "docker run -p 8080:80 -e MODE=prod app:1.4.2",
        "psql -p 5432 -h db -U report -d orders",
        "curl -u $USER https://jenkins.internal (prompted for password)",
        "password: must be at least 12 characters",
        "token expired at 2024-05-01T10:00:00Z; refreshing",
        "keystore loaded from /etc/ssl/keystore.jks (3 entries)",
        "SMS quota 10000/day reached",
        "order 2024-0501-0042 shipped; tracking 1Z999AA10123456784",
        "SELECT * FROM users WHERE id = 42 AND password_hash IS NOT NULL",
        "client_id=orders-service scope=orders.read grant_type=client_credentials",
        "Kubernetes secret orders-db-credentials mounted at /var/run/secrets",
        "RSA key size 2048 bits; -----BEGIN CERTIFICATE----- chain of 3",
        "phone_verified=false phone_country=KR",
        "mail queue size 123456 (retry after 300s)",
        "heap: used=812345678 committed=1073741824 max=4294967296",
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
        "jwt validation: kid=2024-05 alg=RS256 iss=https://auth.example.com",
        "rate limit 600 requests per 60 s exceeded for key heimdall",
        "api_version=2023-10-16 stripe_account=acct_1NqLyjWDarjtT1zd",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci",
    ];
}
