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
