namespace Bifrost.Bench;

/// <summary>
/// Where the evaluation data is: <c>--shared-dir DIR</c> (any benchmark), else $BIFROST_SHARED_DIR, else
/// <c>../shared</c> next to the repository root (the folder holding Bifrost.slnx, found upwards from the working
/// directory and from this program's folder), so a clone anywhere works without naming one machine's path.
/// </summary>
internal static class SharedData
{
    public const string Variable = "BIFROST_SHARED_DIR";
    public const string Option = "--shared-dir";

    private static string? s_explicit;

    public static string Root =>
        s_explicit
        ?? (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnv ? Path.GetFullPath(fromEnv) : null)
        ?? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared"));

    /// <summary>A file or folder under the shared data, e.g. <c>Of("eval", "real-errors-dev.jsonl")</c>.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Takes <c>--shared-dir DIR</c> out of <paramref name="args"/> (before a benchmark reads its own).</summary>
    public static string[] TakeOption(string[] args)
    {
        var at = Array.IndexOf(args, Option);
        if (at < 0 || at + 1 >= args.Length)
        {
            return args;
        }

        s_explicit = Path.GetFullPath(args[at + 1]);
        return [.. args[..at], .. args[(at + 2)..]];
    }

    private static string RepositoryRoot() =>
        FindRepositoryRoot() ?? throw new InvalidOperationException($"no Bifrost.slnx above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}: pass {Option} DIR or set {Variable}");

    /// <summary>The folder holding Bifrost.slnx, upwards from the working directory or this program's folder; null when neither is in a clone.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bifrost.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
