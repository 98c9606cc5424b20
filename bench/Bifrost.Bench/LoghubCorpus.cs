namespace Bifrost.Bench;

/// <summary>
/// Loghub-2k with the corrected labels (He et al., "Loghub", ISSRE 2023; Khan et al., "Guidelines for Assessing
/// the Accuracy of Log Message Template Identification Techniques", ICSE 2022), read from the shared eval folder,
/// never copied into the repo.
/// </summary>
internal static class LoghubCorpus
{
    public static string DefaultRoot => SharedData.Of("eval", "loghub-2k");

    public static readonly string[] Systems = ["HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "OpenStack", "Thunderbird", "Linux"];

    /// <summary>Where more labelled systems in the same layout may be (<c>&lt;System&gt;/&lt;System&gt;_2k.log_structured_corrected.csv</c>,
    /// at least the <c>Content</c> and <c>EventTemplate</c> columns): <c>--extra-dir DIR</c> or $BIFROST_LOGHUB_EXTRA. Kept
    /// outside the repository; nothing depends on it being there.</summary>
    public const string ExtraVariable = "BIFROST_LOGHUB_EXTRA";

    public const string ExtraOption = "--extra-dir";

    /// <summary>One labelled system: its lines in file order, their true templates, and whether it came from the extra folder.</summary>
    public sealed record LabelledSystem(string Name, string[] Contents, string[] Templates, bool Extra);

    /// <summary>
    /// The shared systems (under the first remaining argument, else <see cref="DefaultRoot"/>), then every system found
    /// in the extra folder (taken out of <paramref name="args"/> as <see cref="ExtraOption"/>, else
    /// <see cref="ExtraVariable"/>), in name order.
    /// </summary>
    public static List<LabelledSystem> LoadAll(ref string[] args)
    {
        var extra = Environment.GetEnvironmentVariable(ExtraVariable);
        var at = Array.IndexOf(args, ExtraOption);
        if (at >= 0 && at + 1 < args.Length)
        {
            extra = args[at + 1];
            args = [.. args[..at], .. args[(at + 2)..]];
        }

        var root = args.Length > 0 ? args[0] : DefaultRoot;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"loghub-2k not found at {root}");
        }

        var systems = Systems.Select(s => Load(root, s)).Select((d, i) => new LabelledSystem(Systems[i], d.Contents, d.Templates, false)).ToList();

        if (string.IsNullOrEmpty(extra))
        {
            return systems;
        }

        if (!Directory.Exists(extra))
        {
            throw new DirectoryNotFoundException($"extra Loghub systems not found at {extra}");
        }

        foreach (var dir in Directory.GetDirectories(extra).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (!Systems.Contains(name) && File.Exists(Path.Combine(dir, $"{name}_2k.log_structured_corrected.csv")))
            {
                var (contents, templates) = Load(extra, name);
                systems.Add(new LabelledSystem(name, contents, templates, true));
            }
        }

        return systems;
    }

    /// <summary>The <c>Content</c> and <c>EventTemplate</c> columns of one system, in file order.</summary>
    public static (string[] Contents, string[] Templates) Load(string root, string system)
    {
        var path = Path.Combine(root, system, $"{system}_2k.log_structured_corrected.csv");
        using var reader = new StreamReader(path);
        var header = Csv.ParseLine(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty"));
        var content = header.IndexOf("Content");
        var template = header.IndexOf("EventTemplate");
        var contents = new List<string>();
        var templates = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var fields = Csv.ParseLine(line);
            contents.Add(fields[content]);
            templates.Add(fields[template]);
        }

        return ([.. contents], [.. templates]);
    }
}

/// <summary>RFC 4180 fields of one line (quoted fields with doubled quotes; these files have no multi-line fields).</summary>
internal static class Csv
{
    public static List<string> ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
