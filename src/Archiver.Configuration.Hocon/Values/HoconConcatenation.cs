using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>
/// Adjacent values on one line: <c>"a"${b}"c"</c>, <c>5 seconds</c>, <c>${base} { extra = 1 }</c>, <c>${?list} [x]</c>.
/// Whitespace between parts is kept as <see cref="ScalarKind.Whitespace"/> scalars: it joins strings and is
/// ignored between objects or arrays.
/// </summary>
internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(IReadOnlyList<HoconValue> parts, SourcePosition position)
        : base(position)
    {
        Parts = parts;
    }

    public IReadOnlyList<HoconValue> Parts { get; }

    public override bool IsResolved => false;

    public override string TypeName => "concatenation";
}
