namespace Archiver.Dropbox.Emulator;

/// <summary>A file an emulated account holds (metadata only: the emulator never keeps file bytes).</summary>
/// <param name="UploadCount">How many upload calls wrote this path or found identical content already there.</param>
public sealed record EmulatorFile(
    string Id,
    string PathDisplay,
    long Size,
    string ContentHash,
    string Rev,
    int UploadCount,
    DateTimeOffset ClientModified,
    DateTimeOffset ServerModified);
