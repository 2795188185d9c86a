using Archiver.Core.Items;

namespace Archiver.Core.Content;

/// <summary>
/// Reads <c>file:</c> sources, but only below the configured root directories: a path that leaves them,
/// directly, through <c>..</c> or through a symbolic link, is refused as a permanent failure.
/// </summary>
public sealed class FileContentSource : IContentSource
{
    private readonly IReadOnlyList<string> _roots;

    public FileContentSource(IEnumerable<string> roots)
    {
        _roots = roots.Select(root => WithSeparator(ResolveLinks(Path.GetFullPath(root)))).ToArray();
    }

    public bool CanOpen(Uri source) => source.IsAbsoluteUri && source.IsFile;

    public Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var requested = Path.GetFullPath(item.Source.LocalPath);
        if (!IsUnderARoot(requested))
        {
            throw new ContentUnavailableException($"Source {requested} is outside the allowed content roots.", isPermanent: true);
        }

        string resolved;
        try
        {
            resolved = ResolveLinks(requested);
        }
        catch (IOException ex)
        {
            throw new ContentUnavailableException($"Source {requested} cannot be resolved: {ex.Message}", isPermanent: true, ex);
        }

        if (!IsUnderARoot(resolved))
        {
            throw new ContentUnavailableException($"Source {requested} links outside the allowed content roots.", isPermanent: true);
        }

        try
        {
            var stream = new FileStream(resolved, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 81920,
            });
            return Task.FromResult(new ItemContent(stream, stream.Length));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContentUnavailableException($"Source {requested} does not exist.", isPermanent: true, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ContentUnavailableException($"Source {requested} is not readable.", isPermanent: true, ex);
        }
        catch (IOException ex)
        {
            throw new ContentUnavailableException($"Source {requested} could not be read: {ex.Message}", isPermanent: false, ex);
        }
    }

    private bool IsUnderARoot(string path) =>
        _roots.Any(root => path.StartsWith(root, StringComparison.Ordinal));

    /// <summary>Follows symbolic links in every component of <paramref name="path"/>, returning the real path.</summary>
    private static string ResolveLinks(string path)
    {
        var root = Path.GetPathRoot(path) ?? "/";
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                current = target is null ? current : Path.GetFullPath(target.FullName);
            }
        }

        return current;
    }

    private static string WithSeparator(string directory) =>
        directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
}
