using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon.Resolution;

/// <summary>
/// "Definition <see cref="Entry"/> of <see cref="Stack"/> is being resolved, and the definitions before it
/// fold to <see cref="Prior"/>." Frames chain outwards through <see cref="Parent"/>; null is the empty chain.
/// </summary>
internal sealed class ResolveFrame
{
    public ResolveFrame(HoconMergeStack stack, HoconValue entry, HoconValue? prior, ResolveFrame? parent)
    {
        Stack = stack;
        Entry = entry;
        Prior = prior;
        Parent = parent;
    }

    public HoconMergeStack Stack { get; }

    public HoconValue Entry { get; }

    public HoconValue? Prior { get; }

    public ResolveFrame? Parent { get; }

    public static ResolveFrame? Find(ResolveFrame? frame, HoconMergeStack stack)
    {
        for (; frame is not null; frame = frame.Parent)
        {
            if (ReferenceEquals(frame.Stack, stack))
            {
                return frame;
            }
        }

        return null;
    }
}
