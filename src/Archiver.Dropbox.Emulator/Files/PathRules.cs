namespace Archiver.Dropbox.Emulator.Files;

/// <summary>
/// Dropbox's rules for a path that starts with <c>/</c>: components of 1 to 255 characters, no <c>.</c> or
/// <c>..</c>, no backslash, NUL or DEL, no trailing slash or whitespace, and none of the names Dropbox ignores.
/// </summary>
internal static class PathRules
{
    public const int MaxComponentLength = 255;

    private static readonly string[] DisallowedNames =
        ["desktop.ini", "thumbs.db", ".ds_store", "icon\r", ".dropbox", ".dropbox.attr"];

    public static PathProblem Check(string path)
    {
        if (path.Length < 2 || path[^1] == '/' || char.IsWhiteSpace(path[^1]))
        {
            return PathProblem.MalformedPath;
        }

        if (path.AsSpan().IndexOfAny('\\', '\0', '\x7f') >= 0)
        {
            return PathProblem.MalformedPath;
        }

        var rest = path.AsSpan(1);
        while (true)
        {
            var slash = rest.IndexOf('/');
            var component = slash < 0 ? rest : rest[..slash];
            if (component.IsEmpty || component.Length > MaxComponentLength || component is "." or "..")
            {
                return PathProblem.MalformedPath;
            }

            if (IsDisallowedName(component))
            {
                return PathProblem.DisallowedName;
            }

            if (slash < 0)
            {
                return PathProblem.None;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private static bool IsDisallowedName(ReadOnlySpan<char> name)
    {
        foreach (var disallowed in DisallowedNames)
        {
            if (name.Equals(disallowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
