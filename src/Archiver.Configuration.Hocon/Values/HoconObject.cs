using System.Diagnostics.CodeAnalysis;
using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>An object: fields in definition order. Keys are case-sensitive, as in HOCON.</summary>
internal sealed class HoconObject : HoconValue
{
    private readonly Dictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public HoconObject(SourcePosition position)
        : base(position)
    {
    }

    public int Count => _order.Count;

    public IEnumerable<KeyValuePair<string, HoconValue>> Fields =>
        _order.Select(key => KeyValuePair.Create(key, _fields[key]));

    public override bool IsResolved => _fields.Values.All(v => v.IsResolved);

    public override string TypeName => "object";

    public bool TryGetValue(string key, [NotNullWhen(true)] out HoconValue? value) => _fields.TryGetValue(key, out value);

    /// <summary>Sets a field, replacing any earlier value (no merging).</summary>
    public void Set(string key, HoconValue value)
    {
        if (_fields.TryAdd(key, value))
        {
            _order.Add(key);
        }
        else
        {
            _fields[key] = value;
        }
    }

    /// <summary>
    /// Defines <paramref name="key"/> again as HOCON says for duplicate keys: an object merges into an earlier
    /// object, any other value replaces what was there. When either side still needs substitution the
    /// definitions are kept in a <see cref="HoconMergeStack"/> and folded by the resolver.
    /// </summary>
    public void Merge(string key, HoconValue value)
    {
        if (!_fields.TryGetValue(key, out var existing))
        {
            Set(key, value is HoconObject or HoconMergeStack || value.IsResolved
                ? value
                : new HoconMergeStack([value], value.Position));
            return;
        }

        switch (value)
        {
            case HoconObject incoming when existing is HoconObject current:
                current.MergeFrom(incoming);
                break;
            case HoconObject when existing is HoconMergeStack stack:
                stack.Push(value);
                break;
            case HoconObject:
                Set(key, value);
                break;
            case { IsResolved: true }:
                Set(key, value);
                break;
            default:
                if (existing is HoconMergeStack existingStack)
                {
                    existingStack.Push(value);
                }
                else
                {
                    var stack = new HoconMergeStack([existing], existing.Position);
                    stack.Push(value);
                    Set(key, stack);
                }

                break;
        }
    }

    /// <summary>Merges every field of <paramref name="other"/> into this object, in order.</summary>
    public void MergeFrom(HoconObject other)
    {
        foreach (var (key, value) in other.Fields)
        {
            Merge(key, value);
        }
    }
}
