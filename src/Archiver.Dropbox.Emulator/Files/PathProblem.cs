namespace Archiver.Dropbox.Emulator.Files;

/// <summary>Why Dropbox would refuse a well-formed path string as a file path.</summary>
internal enum PathProblem
{
    None,

    /// <summary><c>malformed_path</c>: empty or overlong component, trailing slash or space, forbidden character.</summary>
    MalformedPath,

    /// <summary><c>disallowed_name</c>: a name Dropbox refuses to store, such as <c>desktop.ini</c>.</summary>
    DisallowedName,
}
