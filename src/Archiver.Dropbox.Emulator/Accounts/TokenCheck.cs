namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>What an access token presented to the API is worth.</summary>
internal enum TokenCheck
{
    Valid,
    Expired,
    Invalid,
}
