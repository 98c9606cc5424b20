namespace Bifrost.Configuration;

/// <summary>
/// A <c>.env</c> file: <c>KEY=value</c> lines, <c># comments</c>, optional <c>export </c> prefix, optional
/// single or double quotes. Loaded into the environment before configuration is read; a variable that is
/// already set wins (the real environment overrides the file, as with docker compose and python-dotenv).
/// </summary>
public static class DotEnv
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim().TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[0] == '"' ? value[1..^1].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal) : value[1..^1];
            }
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var hash and >= 0)
            {
                value = value[..hash].TrimEnd();
            }

            entries.Add(new(key, value));
        }

        return entries;
    }

    /// <summary>Sets each variable from <paramref name="path"/> that is not set yet. Missing file: nothing happens.</summary>
    public static void Load(string path, Func<string, string?> get, Action<string, string> set)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        if (!File.Exists(path))
        {
            return;
        }

        foreach (var (key, value) in Parse(File.ReadAllText(path)))
        {
            if (get(key) is null)
            {
                set(key, value);
            }
        }
    }

    public static void LoadIntoProcess(string path) =>
        Load(path, Environment.GetEnvironmentVariable, (k, v) => Environment.SetEnvironmentVariable(k, v));
}
