using System.Globalization;

namespace Bifrost.Bench;

/// <summary>Tiny helpers for benchmark arguments and the machine state printed with results.</summary>
internal static class Options
{
    /// <summary>Reads and removes <c>NAME VALUE</c> from <paramref name="args"/>.</summary>
    public static int Int(ref string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return fallback;
        }

        var value = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), so shared-machine numbers can be read for what they are.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
