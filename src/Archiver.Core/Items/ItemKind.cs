namespace Archiver.Core.Items;

/// <summary>What an item is; decides its folder and file extension in Dropbox.</summary>
public enum ItemKind
{
    CallRecording,
    Sms,
    Fax,
    Voicemail,
}
