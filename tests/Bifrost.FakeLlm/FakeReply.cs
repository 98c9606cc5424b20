namespace Bifrost.FakeLlm;

/// <summary>What the fake server does with one request.</summary>
public abstract record FakeReply
{
    /// <summary>Wait this long before answering (a slow model).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The assistant's message content, sent in the protocol's success envelope.</summary>
    public sealed record Content(string Body) : FakeReply;

    /// <summary>Never answer (until the client gives up or the server stops).</summary>
    public sealed record Hang : FakeReply;

    /// <summary>An error status with the protocol's error body; <paramref name="RetryAfterSeconds"/> adds Retry-After.</summary>
    public sealed record Failure(int Status, string Message, int? RetryAfterSeconds = null) : FakeReply;

    public static FakeReply Json(string json) => new Content(json);

    public static FakeReply Text(string text) => new Content(text);

    public static FakeReply Hangs() => new Hang();

    public static FakeReply ServerError() => new Failure(500, "model runner crashed: llama runner process has terminated");

    public static FakeReply RateLimited(int retryAfterSeconds) => new Failure(429, "Rate limit reached for requests", retryAfterSeconds);
}
