namespace Bifrost.Analysis.Redaction;

/// <summary>What redacted text is replaced with: readable, so an engineer still sees what kind of value was there.</summary>
public static class Placeholders
{
    public const string Email = "<email>";
    public const string Card = "<card>";
    public const string Phone = "<phone>";
    public const string NationalId = "<national_id>";
    public const string Password = "<redacted:password>";
    public const string Token = "<redacted:token>";
    public const string Credentials = "<redacted:credentials>";
    public const string ApiKey = "<redacted:api_key>";
    public const string AwsKey = "<redacted:aws_key>";
    public const string Jwt = "<redacted:jwt>";
    public const string Cookie = "<redacted:cookie>";
    public const string PrivateKey = "<redacted:private_key>";
    public const string Secret = "<redacted:secret>";

    /// <summary>Prefix shared by the <c>&lt;redacted:...&gt;</c> placeholders, so scanners skip what is already masked.</summary>
    public const string RedactedPrefix = "<redacted:";
}
