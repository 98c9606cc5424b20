namespace Bifrost.Analysis.Templates;

/// <summary>What a token of a log line is, as far as template mining is concerned.</summary>
public enum TokenKind : byte
{
    /// <summary>A plain word (letters, maybe wrapped in brackets or ending in punctuation). Words are the
    /// message's constant text far more often than its parameters, so two different words in the same
    /// position keep two lines apart: this is what separates "VM Started" from "VM Paused".</summary>
    Word,

    /// <summary>Anything else without a digit: paths, dotted names, identifiers, symbols. May be a constant
    /// or a parameter; the miner decides by comparing lines.</summary>
    Other,

    /// <summary>A masked variable (number, id, address, timestamp...): a parameter before any comparison.
    /// A <c>key=</c>/<c>key:</c> prefix is kept, so <c>uid=0</c> becomes <c>uid=&lt;*&gt;</c>.</summary>
    Variable,
}
