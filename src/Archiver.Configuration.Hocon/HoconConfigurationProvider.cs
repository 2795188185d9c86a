using Microsoft.Extensions.Configuration;

namespace Archiver.Configuration.Hocon;

/// <summary>
/// Loads a HOCON file into configuration keys: nested objects become <c>a:b:c</c>, array elements
/// <c>a:0</c>, <c>a:1</c>, null a null value. All values stay strings (convert durations and sizes with
/// <see cref="HoconValues"/>).
/// </summary>
/// <remarks>
/// <para><see cref="Load(Stream)"/> throws <see cref="HoconException"/> (message <c>file:line:column: reason</c>)
/// when the file, an include, or a substitution is invalid.</para>
/// <para>On a reload triggered by <c>reloadOnChange</c>, the <see cref="FileConfigurationProvider"/> base class
/// catches that exception, <b>clears the provider's data</b>, and rethrows it from the change callback unless
/// <see cref="FileConfigurationSource.OnLoadException"/> marks it ignored; the exception reaches the handler as
/// <see cref="FileLoadExceptionContext.Exception"/> — unless <see cref="HoconConfigurationSource.KeepLastGoodOnReloadError"/>
/// is set: then a failed reload keeps the last good keys and records the error in <see cref="LastReloadError"/>.</para>
/// </remarks>
public sealed class HoconConfigurationProvider : FileConfigurationProvider
{
    public HoconConfigurationProvider(HoconConfigurationSource source)
        : base(source)
    {
    }

    private bool _loaded;

    /// <summary>The error of the latest reload, or null when it succeeded (see <see cref="HoconConfigurationSource.KeepLastGoodOnReloadError"/>).</summary>
    public HoconException? LastReloadError { get; private set; }

    /// <summary>
    /// Where each key of the data in force was written, by the key as stored (after
    /// <see cref="HoconConfigurationSource.KeyTransform"/>), so a consumer can name the file and line of a bad setting.
    /// </summary>
    public IReadOnlyDictionary<string, HoconKeyOrigin> Origins { get; private set; } = new Dictionary<string, HoconKeyOrigin>();

    public override void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string text;
        using (var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }

        var (fileSystem, sourceName) = ((HoconConfigurationSource)Source).IncludeRoot();
        IDictionary<string, string?> data;
        var positions = new Dictionary<string, Syntax.SourcePosition>(StringComparer.OrdinalIgnoreCase);
        try
        {
            data = HoconLoader.LoadConfigurationData(text, sourceName, fileSystem, positions);
        }
        catch (HoconException ex) when (_loaded && ((HoconConfigurationSource)Source).KeepLastGoodOnReloadError)
        {
            LastReloadError = ex;
            return; // Data stays as the last good load left it
        }

        _loaded = true;
        LastReloadError = null;
        var transform = ((HoconConfigurationSource)Source).KeyTransform ?? (key => key);
        Data = data.ToDictionary(entry => transform(entry.Key), entry => entry.Value, StringComparer.OrdinalIgnoreCase);
        Origins = positions.ToDictionary(
            entry => transform(entry.Key),
            entry => new HoconKeyOrigin(entry.Key, entry.Value.Source, entry.Value.Line),
            StringComparer.OrdinalIgnoreCase);
    }
}
