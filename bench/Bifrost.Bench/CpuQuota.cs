using System.Diagnostics;
using System.Globalization;

namespace Bifrost.Bench;

/// <summary>
/// Caps a process at a share of the CPU with a cgroup v1 CFS quota (the mechanism behind a Kubernetes CPU limit),
/// so that several instances on one small machine are each measured like a pod of a fixed size.
/// </summary>
internal static class CpuQuota
{
    private const string Root = "/sys/fs/cgroup/cpu";
    private const int PeriodMicroseconds = 100_000;

    /// <param name="cores">0 = no limit.</param>
    public static Process Apply(Process process, double cores)
    {
        if (cores <= 0)
        {
            return process;
        }

        var group = Path.Combine(Root, $"bifrost-bench-{process.Id}");
        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"--cpu-limit needs the cgroup v1 cpu controller at {Root}");
        }

        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(group, "cpu.cfs_quota_us"), ((int)(cores * PeriodMicroseconds)).ToString(CultureInfo.InvariantCulture));
        // cgroup.procs moves every thread of the process; threads started later inherit the group.
        File.WriteAllText(Path.Combine(group, "cgroup.procs"), process.Id.ToString(CultureInfo.InvariantCulture));
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Remove(group);
        return process;
    }

    private static void Remove(string group)
    {
        try
        {
            Directory.Delete(group);
        }
        catch (IOException)
        {
            // Still has tasks for a moment after exit; the kernel keeps an empty group harmlessly.
        }
    }
}
