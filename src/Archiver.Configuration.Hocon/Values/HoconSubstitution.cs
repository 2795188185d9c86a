using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Path"/> is absolute from the document root; for a substitution
/// in an included file it carries the include point as a prefix, and <see cref="OriginalPath"/> is the path
/// as written (tried next, and used as the environment variable name).
/// </summary>
internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(HoconPath path, HoconPath originalPath, bool isOptional, SourcePosition position)
        : base(position)
    {
        Path = path;
        OriginalPath = originalPath;
        IsOptional = isOptional;
    }

    public HoconPath Path { get; }

    public HoconPath OriginalPath { get; }

    public bool IsOptional { get; }

    public override bool IsResolved => false;

    public override string TypeName => "substitution";

    public override string ToString() => $"${{{(IsOptional ? "?" : string.Empty)}{OriginalPath}}}";
}
