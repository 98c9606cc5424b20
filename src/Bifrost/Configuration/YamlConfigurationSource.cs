using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bifrost.Configuration;

/// <summary>
/// config.yaml as a configuration source. Keys keep their spelling, dots included (so a librdkafka property
/// such as <c>api.version.request</c> reaches the client as-is: only ':' separates sections). Scalar values
/// may reference the environment as <c>${VAR}</c> or <c>${VAR:default}</c>.
/// </summary>
public sealed class YamlConfigurationSource(string path, Func<string, string?> environment) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(path, environment);
}

public sealed partial class YamlConfigurationProvider(string path, Func<string, string?> environment) : ConfigurationProvider
{
    public override void Load()
    {
        Data = Flatten(File.ReadAllText(path), environment, Path.GetFileName(path));
    }

    /// <summary>YAML text → flat <c>section:key</c> pairs, with <c>${VAR:default}</c> substituted.</summary>
    public static Dictionary<string, string?> Flatten(string yaml, Func<string, string?> environment, string fileName = "config.yaml")
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException(fileName, $"{fileName} line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (stream.Documents.Count > 0)
        {
            Visit(stream.Documents[0].RootNode, "", data, environment);
        }

        return data;
    }

    private static void Visit(YamlNode node, string prefix, Dictionary<string, string?> data, Func<string, string?> environment)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, child) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Visit(child, prefix.Length == 0 ? name : prefix + ConfigurationPath.KeyDelimiter + name, data, environment);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Visit(sequence.Children[i], prefix + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), data, environment);
                }

                break;
            case YamlScalarNode scalar:
                var value = scalar.Value;
                var isNull = scalar.Style == ScalarStyle.Plain && value is null or "" or "~" or "null";
                data[prefix] = isNull ? null : Substitute(value!, environment);
                break;
        }
    }

    /// <summary><c>${VAR}</c>, <c>${VAR:default}</c> (also <c>${VAR:-default}</c>); unset without default → empty.</summary>
    public static string Substitute(string value, Func<string, string?> environment) =>
        Reference().Replace(value, m =>
        {
            var fromEnv = environment(m.Groups["name"].Value);
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            if (!m.Groups["default"].Success)
            {
                return "";
            }

            var fallback = m.Groups["default"].Value;
            return fallback.StartsWith('-') ? fallback[1..] : fallback;
        });

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}

/// <summary>Invalid configuration: <see cref="Exception.Message"/> is the one line shown to the operator.</summary>
public sealed class ConfigurationException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
