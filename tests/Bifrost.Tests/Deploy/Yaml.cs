using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Bifrost.Tests.Deploy;

/// <summary>YAML files of the repo as JsonNodes (YAML → object graph → JSON), one node per document.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();
    private static readonly ISerializer JsonWriter = new SerializerBuilder().JsonCompatible().Build();

    public static JsonNode Load(string path) => LoadAll(path).Single();

    public static IReadOnlyList<JsonNode> LoadAll(string path)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        parser.Consume<StreamStart>();
        var docs = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var graph = Reader.Deserialize(parser);
            if (graph is not null)
            {
                docs.Add(JsonNode.Parse(JsonWriter.Serialize(graph))!);
            }
        }

        return docs;
    }

    public static JsonNode Parse(string yaml) => JsonNode.Parse(JsonWriter.Serialize(Reader.Deserialize(yaml)!))!;
}
