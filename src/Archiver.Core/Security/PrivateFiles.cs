namespace Archiver.Core.Security;

/// <summary>
/// Where the node keeps its state — the database, the token key, the API token, its identity — only the user it runs
/// as may look: directories are created 0700 and files 0600 on Unix, whatever the process's umask would let through.
/// Files and directories that already exist keep the mode they have.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Read and write for the owner, nothing for anyone else.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>List, enter and change for the owner, nothing for anyone else.</summary>
    public const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents, each readable by its owner only.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>How to open a file that, if this creates it, only its owner may read or write.</summary>
    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty, for its owner only, unless it exists. Anything later created beside it
    /// in its image (SQLite's write-ahead log and shared memory copy the database file's mode) is private too.
    /// </summary>
    public static void CreateEmptyUnlessExists(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, Options(FileMode.CreateNew, FileAccess.Write));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
    }
}
