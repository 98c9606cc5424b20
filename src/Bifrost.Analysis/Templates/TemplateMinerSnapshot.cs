namespace Bifrost.Analysis.Templates;

/// <summary>The miner's whole state as plain data (serialise it with System.Text.Json or anything else).</summary>
/// <param name="Version">Format version; <see cref="CurrentVersion"/> when written by this code.</param>
/// <param name="NextId">The id the next new template will get.</param>
/// <param name="Clusters">Templates, least recently used first.</param>
public sealed record TemplateMinerSnapshot(int Version, long NextId, IReadOnlyList<TemplateClusterSnapshot> Clusters)
{
    public const int CurrentVersion = 1;
}

/// <summary>One template in a <see cref="TemplateMinerSnapshot"/>.</summary>
public sealed record TemplateClusterSnapshot(long Id, IReadOnlyList<string> Tokens, IReadOnlyList<TokenKind> Kinds, long Count);

/// <summary>A template as reported to callers.</summary>
public sealed record TemplateInfo(long Id, string Template, long Count);
