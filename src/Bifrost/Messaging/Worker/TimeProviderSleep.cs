namespace Bifrost.Messaging.Worker;

internal static class TimeProviderSleep
{
    /// <summary>
    /// Blocks the calling thread (the consume thread, which has nothing else to do meanwhile) for
    /// <paramref name="duration"/> as <paramref name="time"/> counts it, so tests can drive it with a fake clock.
    /// </summary>
    public static void Sleep(this TimeProvider time, TimeSpan duration) => Task.Delay(duration, time).GetAwaiter().GetResult();
}
