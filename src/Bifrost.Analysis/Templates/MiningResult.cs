namespace Bifrost.Analysis.Templates;

/// <summary>What adding one line did.</summary>
public enum TemplateChange : byte
{
    /// <summary>The line fitted an existing template unchanged.</summary>
    None,

    /// <summary>The line started a new template.</summary>
    Created,

    /// <summary>The line joined a template and turned some of its positions into parameters.</summary>
    Generalized,
}

/// <summary>The template a line was assigned to, and what changed.</summary>
/// <param name="ClusterId">Stable id of the template (cluster).</param>
/// <param name="Template">The template text after this line, with <c>&lt;*&gt;</c> for parameters.</param>
/// <param name="Change">What adding the line did to the template.</param>
/// <param name="Absorbed">Ids of templates merged into <paramref name="ClusterId"/> because the generalized
/// template now covers them; lines assigned to those ids belong to <paramref name="ClusterId"/> from now on.</param>
public readonly record struct MiningResult(long ClusterId, string Template, TemplateChange Change, IReadOnlyList<long> Absorbed);
