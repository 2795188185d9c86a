using Archiver.Configuration.Hocon.Syntax;
using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon.Includes;

/// <summary>
/// Reads and parses included files. A name without extension loads <c>name.json</c> then <c>name.conf</c>
/// (merged, HOCON last, as the spec orders them). A missing file is ignored unless the include is
/// <c>required(...)</c>. Every location looked at is remembered so a reloading provider can watch it.
/// </summary>
internal sealed class IncludeLoader
{
    private const int MaxDepth = 32;

    private readonly IncludeFileSystem _fileSystem;
    private readonly List<string> _chain = [];
    private readonly List<string> _probed = [];

    public IncludeLoader(IncludeFileSystem fileSystem)
    {
        _fileSystem = fileSystem;
    }

    /// <summary>Every include location looked at, whether or not it existed (for change watching).</summary>
    public IReadOnlyList<string> ProbedFiles => _probed;

    /// <summary>Parses a whole document; includes inside it resolve relative to <paramref name="source"/>.</summary>
    public HoconObject ParseDocument(string text, string source)
    {
        _chain.Add(source);
        try
        {
            return Parser.Parse(text, source, HoconPath.Root, this);
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }

    /// <summary>
    /// Loads the included object, or null when a non-required include finds nothing.
    /// Substitutions inside it are fixed up to be relative to <paramref name="mountPath"/>.
    /// </summary>
    public HoconObject? Load(IncludeStatement statement, string includingFile, HoconPath mountPath, SourcePosition position)
    {
        var candidates = Candidates(statement.Name);
        HoconObject? result = null;
        var found = new List<string>();
        foreach (var candidate in candidates)
        {
            var path = _fileSystem.Resolve(includingFile, candidate);
            if (path is null)
            {
                continue;
            }

            if (!_probed.Contains(path, StringComparer.Ordinal))
            {
                _probed.Add(path);
            }

            var text = _fileSystem.ReadAllText(path);
            if (text is null)
            {
                continue;
            }

            found.Add(path);
            if (_chain.Contains(path, StringComparer.Ordinal))
            {
                throw new HoconException(position, $"include cycle: {string.Join(" -> ", _chain)} -> {path}");
            }

            if (_chain.Count >= MaxDepth)
            {
                throw new HoconException(position, $"includes nested more than {MaxDepth} deep");
            }

            _chain.Add(path);
            HoconObject parsed;
            try
            {
                parsed = Parser.Parse(text, path, mountPath, this);
            }
            finally
            {
                _chain.RemoveAt(_chain.Count - 1);
            }

            if (result is null)
            {
                result = parsed;
            }
            else
            {
                result.MergeFrom(parsed);
            }
        }

        if (result is null && statement.Required)
        {
            var looked = string.Join(", ", candidates.Select(c => _fileSystem.Resolve(includingFile, c) ?? c));
            throw new HoconException(position, $"required include '{statement.Name}' was not found (looked for {looked})");
        }

        return result;
    }

    private static string[] Candidates(string name)
    {
        var fileName = name.Replace('\\', '/');
        var slash = fileName.LastIndexOf('/');
        var lastPart = slash >= 0 ? fileName[(slash + 1)..] : fileName;
        return lastPart.Contains('.', StringComparison.Ordinal) ? [name] : [name + ".json", name + ".conf"];
    }
}
