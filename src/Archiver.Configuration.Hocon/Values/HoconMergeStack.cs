using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>
/// The successive definitions of one field when at least one of them needs substitution, oldest first.
/// They cannot be merged while parsing (a substitution may turn out to be an object), so the resolver folds
/// them in order; a substitution inside definition <c>i</c> that refers to the field itself sees the fold of
/// definitions <c>0..i-1</c> (this is how <c>a = ${a} [x]</c> and <c>a += x</c> work).
/// </summary>
internal sealed class HoconMergeStack : HoconValue
{
    private readonly List<HoconValue> _entries;

    public HoconMergeStack(IEnumerable<HoconValue> entries, SourcePosition position)
        : base(position)
    {
        _entries = [.. entries];
    }

    public IReadOnlyList<HoconValue> Entries => _entries;

    public override bool IsResolved => false;

    public override string TypeName => "merge";

    public void Push(HoconValue value)
    {
        if (value is HoconMergeStack stack)
        {
            _entries.AddRange(stack._entries);
        }
        else
        {
            _entries.Add(value);
        }
    }
}
