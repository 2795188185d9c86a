using System.Text;
using Archiver.Configuration.Hocon.Syntax;
using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon.Resolution;

/// <summary>
/// Resolves every substitution of a parsed document against the whole merged document, so forward references
/// work. Lookups walk only the path they need (an object may refer to its own fields). A substitution that
/// refers to the field it is defining (or below it) sees that field's earlier definitions; any other loop is
/// a cycle and an error. Paths not found in the document fall back to environment variables.
/// </summary>
internal sealed class Resolver
{
    private const int MaxSubstitutionDepth = 256;

    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<HoconValue, HoconValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<HoconSubstitution> _lookups = [];

    private Resolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>Returns a tree made only of objects, arrays and scalars.</summary>
    public static HoconObject Resolve(HoconObject root, Func<string, string?> environment)
    {
        var resolver = new Resolver(root, environment);
        return (HoconObject)resolver.Resolve(root, HoconPath.Root, frame: null)!;
    }

    /// <summary>Lays <paramref name="over"/> on <paramref name="under"/>: objects merge, anything else replaces; null is "not defined".</summary>
    public static HoconValue? Combine(HoconValue? under, HoconValue? over)
    {
        if (over is null)
        {
            return under;
        }

        if (under is HoconObject underObject && over is HoconObject overObject)
        {
            return MergeObjects(underObject, overObject);
        }

        return over;
    }

    private static HoconObject MergeObjects(HoconObject under, HoconObject over)
    {
        var result = new HoconObject(over.Position);
        foreach (var (key, value) in under.Fields)
        {
            result.Set(key, value);
        }

        foreach (var (key, value) in over.Fields)
        {
            result.Set(key, result.TryGetValue(key, out var existing) ? Combine(existing, value)! : value);
        }

        return result;
    }

    private HoconValue? Resolve(HoconValue node, HoconPath path, ResolveFrame? frame)
    {
        if (node is HoconScalar)
        {
            return node;
        }

        if (_resolved.TryGetValue(node, out var done))
        {
            return done;
        }

        if (!_inProgress.Add(node))
        {
            throw Cycle(path, node.Position);
        }

        HoconValue? result;
        try
        {
            result = node switch
            {
                HoconObject obj => ResolveObject(obj, path, frame),
                HoconArray array => ResolveArray(array, path, frame),
                HoconSubstitution substitution => ResolveSubstitution(substitution, frame),
                HoconConcatenation concatenation => ResolveConcatenation(concatenation, path, frame),
                HoconMergeStack stack => ResolveStack(stack, path, frame),
                _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
            };
        }
        finally
        {
            _inProgress.Remove(node);
        }

        _resolved[node] = result;
        return result;
    }

    private HoconObject ResolveObject(HoconObject obj, HoconPath path, ResolveFrame? frame)
    {
        var result = new HoconObject(obj.Position);
        foreach (var (key, value) in obj.Fields)
        {
            var resolved = Resolve(value, path.Append(key), frame);
            if (resolved is not null)
            {
                result.Set(key, resolved);
            }
        }

        return result;
    }

    private HoconArray ResolveArray(HoconArray array, HoconPath path, ResolveFrame? frame)
    {
        var result = new HoconArray(array.Position);
        foreach (var item in array.Items)
        {
            var resolved = Resolve(item, path, frame);
            if (resolved is not null)
            {
                result.Add(resolved);
            }
        }

        return result;
    }

    private HoconValue? ResolveStack(HoconMergeStack stack, HoconPath path, ResolveFrame? frame)
    {
        HoconValue? folded = null;
        foreach (var entry in stack.Entries)
        {
            var resolved = Resolve(entry, path, new ResolveFrame(stack, entry, folded, frame));
            folded = Combine(folded, resolved);
        }

        return folded;
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution substitution, ResolveFrame? frame)
    {
        if (_lookups.Count >= MaxSubstitutionDepth)
        {
            throw new HoconException(substitution.Position, $"substitutions refer through more than {MaxSubstitutionDepth} levels");
        }

        _lookups.Add(substitution);
        try
        {
            var value = Lookup(substitution.Path, frame);
            if (value is null && !substitution.OriginalPath.Equals(substitution.Path))
            {
                value = Lookup(substitution.OriginalPath, frame);
            }

            var variable = substitution.OriginalPath.ToPlainString();
            if (value is null)
            {
                var environmentValue = _environment(variable);
                if (!string.IsNullOrEmpty(environmentValue))
                {
                    value = new HoconScalar(ScalarKind.String, environmentValue, substitution.Position);
                }
            }

            if (value is null && !substitution.IsOptional)
            {
                throw new HoconException(
                    substitution.Position,
                    $"could not resolve substitution {substitution}: '{substitution.OriginalPath}' is not set in the configuration and there is no environment variable '{variable}' (use ${{?{substitution.OriginalPath}}} if it is optional)");
            }

            return value;
        }
        finally
        {
            _lookups.RemoveAt(_lookups.Count - 1);
        }
    }

    private HoconValue? Lookup(HoconPath target, ResolveFrame? lexical) =>
        LookupFrom(_root, HoconPath.Root, target, 0, under: null, lexical, walk: null);

    /// <summary>
    /// Finds <paramref name="target"/> below <paramref name="node"/>, resolving only what lies on the way.
    /// <paramref name="under"/> is what earlier definitions put at this path (from frames walked through);
    /// <paramref name="lexical"/> are the frames around the substitution being resolved; <paramref name="walk"/>
    /// are the frames passed on the way down, which are the lexical frames of any node found here.
    /// </summary>
    private HoconValue? LookupFrom(HoconValue node, HoconPath nodePath, HoconPath target, int index, HoconValue? under, ResolveFrame? lexical, ResolveFrame? walk)
    {
        switch (node)
        {
            case HoconMergeStack stack when _inProgress.Contains(stack):
                // Only a substitution inside the definition being resolved may look through it, and it sees
                // the earlier definitions plus whatever the current definition already says.
                var frame = ResolveFrame.Find(lexical, stack) ?? throw Cycle(nodePath, CurrentPosition(node));
                return LookupFrom(frame.Entry, nodePath, target, index, Combine(under, frame.Prior), lexical, new ResolveFrame(stack, frame.Entry, frame.Prior, walk));

            case HoconObject obj when index < target.Count:
                var key = target.Segments[index];
                var underChild = under is HoconObject underObject && underObject.TryGetValue(key, out var u) ? u : null;
                if (obj.TryGetValue(key, out var child))
                {
                    return LookupFrom(child, nodePath.Append(key), target, index + 1, underChild, lexical, walk);
                }

                return Navigate(underChild, target, index + 1);

            case HoconObject obj:
                if (_inProgress.Contains(obj))
                {
                    throw Cycle(nodePath, CurrentPosition(node));
                }

                return Combine(under, Resolve(obj, nodePath, walk));

            default:
                if (_inProgress.Contains(node))
                {
                    // The definition that contains the substitution: it refers to the field's earlier value.
                    return Navigate(under, target, index);
                }

                return Navigate(Combine(under, Resolve(node, nodePath, walk)), target, index);
        }
    }

    private static HoconValue? Navigate(HoconValue? value, HoconPath target, int index)
    {
        for (; index < target.Count; index++)
        {
            if (value is not HoconObject obj || !obj.TryGetValue(target.Segments[index], out value))
            {
                return null;
            }
        }

        return value;
    }

    private HoconValue? ResolveConcatenation(HoconConcatenation concatenation, HoconPath path, ResolveFrame? frame)
    {
        var parts = new List<HoconValue?>(concatenation.Parts.Count);
        var defined = new List<HoconValue>();
        foreach (var part in concatenation.Parts)
        {
            if (part is HoconScalar { Kind: ScalarKind.Whitespace })
            {
                parts.Add(part);
                continue;
            }

            var resolved = Resolve(part, path, frame);
            parts.Add(resolved);
            if (resolved is not null)
            {
                defined.Add(resolved);
            }
        }

        if (defined.Count == 0)
        {
            return null; // only undefined ${?...}: the field is not set
        }

        var first = defined[0];
        var mismatch = defined.Find(v => Family(v) != Family(first));
        if (mismatch is not null)
        {
            throw new HoconException(concatenation.Position, $"cannot concatenate {first.TypeName} and {mismatch.TypeName} in one value (at '{path}')");
        }

        switch (first)
        {
            case HoconObject:
                return defined.Aggregate((HoconValue?)null, Combine);
            case HoconArray:
                return new HoconArray(concatenation.Position, defined.Cast<HoconArray>().SelectMany(a => a.Items));
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is HoconScalar { Kind: not ScalarKind.Null } scalar)
            {
                text.Append(scalar.Text); // a null from a substitution concatenates as the empty string
            }
        }

        return new HoconScalar(ScalarKind.String, text.ToString(), concatenation.Position);
    }

    private static int Family(HoconValue value) => value switch
    {
        HoconObject => 1,
        HoconArray => 2,
        _ => 3,
    };

    private SourcePosition CurrentPosition(HoconValue node) =>
        _lookups.Count > 0 ? _lookups[^1].Position : node.Position;

    private HoconException Cycle(HoconPath path, SourcePosition position)
    {
        var chain = _lookups.Count > 0 ? string.Join(" -> ", _lookups) : path.ToString();
        return new HoconException(position, $"cycle in substitutions: '{path}' depends on itself ({chain})");
    }
}
