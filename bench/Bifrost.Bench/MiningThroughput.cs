namespace Bifrost.Bench;

/// <summary>Placeholder until the throughput benchmark lands.</summary>
internal static class MiningThroughput
{
    public static int Run(string[] args) => 2;
}
