using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

internal sealed class HoconArray : HoconValue
{
    private readonly List<HoconValue> _items;

    public HoconArray(SourcePosition position, IEnumerable<HoconValue>? items = null)
        : base(position)
    {
        _items = items is null ? [] : [.. items];
    }

    public IReadOnlyList<HoconValue> Items => _items;

    public override bool IsResolved => _items.TrueForAll(i => i.IsResolved);

    public override string TypeName => "array";

    public void Add(HoconValue item) => _items.Add(item);
}
