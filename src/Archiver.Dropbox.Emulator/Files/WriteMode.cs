namespace Archiver.Dropbox.Emulator.Files;

/// <summary>Dropbox's <c>WriteMode</c>: what to do when a different file is already at the path.</summary>
/// <param name="Rev">For <see cref="WriteModeKind.Update"/>: the revision that must still be current.</param>
internal sealed record WriteMode(WriteModeKind Kind, string? Rev = null)
{
    public static WriteMode Add { get; } = new(WriteModeKind.Add);

    public static WriteMode Overwrite { get; } = new(WriteModeKind.Overwrite);
}

internal enum WriteModeKind
{
    Add,
    Overwrite,
    Update,
}
