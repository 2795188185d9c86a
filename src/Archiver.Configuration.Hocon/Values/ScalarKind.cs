namespace Archiver.Configuration.Hocon.Values;

internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,

    /// <summary>Unquoted whitespace between the parts of a value concatenation.</summary>
    Whitespace,
}
