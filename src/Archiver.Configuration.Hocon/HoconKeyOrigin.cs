namespace Archiver.Configuration.Hocon;

/// <summary>Where a configuration key got its value: the key as written, and the file and line of the value.</summary>
/// <param name="Key">The flattened key before any <see cref="HoconConfigurationSource.KeyTransform"/> (<c>a:b-c:0</c>).</param>
/// <param name="SourceName">The file (or source name) holding the value; an included file when it came from one.</param>
/// <param name="Line">1-based line of the value.</param>
public sealed record HoconKeyOrigin(string Key, string SourceName, int Line)
{
    /// <summary><c>file:line</c>, as error messages name a place.</summary>
    public override string ToString() => $"{SourceName}:{Line}";
}
