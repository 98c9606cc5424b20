using System.Globalization;

namespace Bifrost.Bench;

/// <summary>
/// CPU time (user + system, from /proc) of a process and all its descendants: PostgreSQL is a postmaster with one
/// backend per connection plus writers; the broker is one JVM. Linux only; zero where /proc is not readable.
/// </summary>
internal static class ProcessTreeCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    /// <summary>The services' root processes, from the folder scripts/test-services.sh keeps them in ($BIFROST_SERVICES_DIR).</summary>
    public static (int? Postgres, int? Broker) Services()
    {
        var folder = Environment.GetEnvironmentVariable("BIFROST_SERVICES_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            return (null, null);
        }

        return (FirstLineNumber(Path.Combine(folder, "pg-data", "postmaster.pid")), FirstLineNumber(Path.Combine(folder, "kafka.pid")));
    }

    public static TimeSpan Of(int? root)
    {
        if (root is not { } pid)
        {
            return TimeSpan.Zero;
        }

        var children = new Dictionary<int, List<int>>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || Stat(id) is not { } stat)
            {
                continue;
            }

            ticks[id] = stat.Ticks;
            if (!children.TryGetValue(stat.Parent, out var list))
            {
                children[stat.Parent] = list = [];
            }

            list.Add(id);
        }

        long total = 0;
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var next))
        {
            total += ticks.GetValueOrDefault(next);
            foreach (var child in children.GetValueOrDefault(next) ?? [])
            {
                pending.Push(child);
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    /// <summary>Parent pid and utime + stime of one process (fields 4, 14, 15 of /proc/PID/stat, after the command in parentheses).</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    private static int? FirstLineNumber(string file) =>
        File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
}
