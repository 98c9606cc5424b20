using System.Text;

namespace Bifrost.Tests.Security;

/// <summary>
/// Inputs of the hostile-input suite (issue 14), generated rather than stored: deep nesting, secrets in every
/// request field. Every test in this folder carries <c>[Trait("Suite", "Hostile")]</c>
/// (<c>dotnet test --filter Suite=Hostile</c>) and runs in CI with the rest.
/// </summary>
internal static class HostileInputs
{
    /// <summary>A JSON object nested <paramref name="depth"/> levels deep: <c>{"a":{"a":…{"a":1}…}}</c>.</summary>
    public static string NestedObject(int depth)
    {
        var json = new StringBuilder(depth * 8);
        for (var i = 0; i < depth; i++) json.Append("{\"a\":");
        json.Append('1');
        json.Append('}', depth);
        return json.ToString();
    }

    /// <summary>Secrets placed in request fields other than the excerpt; none may be stored, served or published.</summary>
    public static class Secrets
    {
        public const string GitHubToken = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        public const string AwsKeyId = "AKIAIOSFODNN7EXAMPLE";
        public const string Password = "Hunter2-Secret!9";
        public const string DbPassword = "Tr0ub4dor&3xyz";
        public const string Email = "kim.minsu@example.co.kr";
        public const string Card = "4111111111111111";
        public const string SlackWebhook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        public const string SlackWebhookSecret = "XXXXXXXXXXXXXXXXXXXXXXXX";
        public const string StripeKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

        /// <summary>What must not appear anywhere (the masked values, not their key names).</summary>
        public static readonly string[] All = [GitHubToken, AwsKeyId, Password, DbPassword, Email, Card, SlackWebhookSecret, StripeKey];

        public static string Service => "payments-" + GitHubToken;

        public static string Environment => "prod " + AwsKeyId;

        public static string Log => $"ERROR auth failed token={StripeKey} user {Email}\nWARN retrying with webhook {SlackWebhook}";

        /// <summary>metadata with secrets by key name, by value shape, nested, and as a JSON number.</summary>
        public static object Metadata => new Dictionary<string, object>
        {
            ["password"] = Password,
            ["owner"] = Email,
            ["nested"] = new Dictionary<string, object> { ["db_pw"] = DbPassword, ["tags"] = new[] { "ok", GitHubToken } },
            ["card"] = long.Parse(Card, System.Globalization.CultureInfo.InvariantCulture),
            ["hook"] = SlackWebhook,
            ["build"] = "1.4.2",
        };

        /// <summary>The secrets still in <paramref name="text"/> (empty when it is clean).</summary>
        public static string[] In(string text) => [.. All.Where(s => text.Contains(s, StringComparison.Ordinal))];
    }
}
