using System.Reflection;
using Bifrost.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Tests.Deploy;

public class OperationsDocTests
{
    private static readonly string Doc = File.ReadAllText(RepoPaths.Of("docs", "operations.md"));

    /// <summary>Every options class with a <c>Section</c> constant, and every key under it (nested classes included).</summary>
    public static TheoryData<string> ConfigurationKeys()
    {
        var data = new TheoryData<string>();
        var sections = typeof(KafkaOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null && t.Type.Name.EndsWith("Options", StringComparison.Ordinal));
        foreach (var (type, section) in sections)
        {
            foreach (var key in Keys(type, section!))
            {
                data.Add(key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConfigurationKeys))]
    public void ConfigurationReference_DocumentsEveryKey(string key) =>
        Assert.True(Doc.Contains($"| `{key}` |", StringComparison.Ordinal), $"docs/operations.md has no configuration reference row for `{key}`");

    [Fact]
    public void ConfigurationReference_FindsTheKnownSections()
    {
        var keys = ((IEnumerable<object[]>)ConfigurationKeys()).Select(row => (string)row[0]).ToList();
        Assert.Contains("kafka.topics.dlq", keys);
        Assert.Contains("telemetry.otlp_endpoint", keys);
        Assert.Contains("database.url", keys);
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            var key = $"{prefix}.{name}";
            var nested = property.PropertyType;
            if (nested.IsClass && nested != typeof(string) && nested.Name.EndsWith("Options", StringComparison.Ordinal))
            {
                foreach (var inner in Keys(nested, key))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }
}
