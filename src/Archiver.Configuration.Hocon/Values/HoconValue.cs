using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>
/// A node of the HOCON value tree. The parser produces objects, arrays, scalars, concatenations,
/// substitutions and merge stacks; the resolver turns that tree into one made only of objects,
/// arrays and scalars.
/// </summary>
internal abstract class HoconValue
{
    protected HoconValue(SourcePosition position)
    {
        Position = position;
    }

    /// <summary>Where the value starts in its source.</summary>
    public SourcePosition Position { get; }

    /// <summary>
    /// True when the value holds no substitution anywhere (no concatenation, substitution or merge stack),
    /// so a later duplicate key may replace it outright.
    /// </summary>
    public abstract bool IsResolved { get; }

    /// <summary>The HOCON type name for error messages.</summary>
    public abstract string TypeName { get; }
}
