using System.Text.Json;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Writes Dropbox metadata objects. Where the route's declared type is <c>Metadata</c> (get_metadata, list_folder
/// entries) the object carries <c>.tag</c>; where it is <c>FileMetadata</c> (upload) it does not.
/// </summary>
internal static class MetadataJson
{
    private static readonly JsonEncodedText Tag = JsonEncodedText.Encode(".tag");
    private static readonly JsonEncodedText FileTag = JsonEncodedText.Encode("file");
    private static readonly JsonEncodedText FolderTag = JsonEncodedText.Encode("folder");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText PathLower = JsonEncodedText.Encode("path_lower");
    private static readonly JsonEncodedText PathDisplay = JsonEncodedText.Encode("path_display");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ClientModified = JsonEncodedText.Encode("client_modified");
    private static readonly JsonEncodedText ServerModified = JsonEncodedText.Encode("server_modified");
    private static readonly JsonEncodedText Rev = JsonEncodedText.Encode("rev");
    private static readonly JsonEncodedText Size = JsonEncodedText.Encode("size");
    private static readonly JsonEncodedText IsDownloadable = JsonEncodedText.Encode("is_downloadable");
    private static readonly JsonEncodedText ContentHash = JsonEncodedText.Encode("content_hash");

    /// <summary>A <c>FileMetadata</c>, as <c>files/upload</c> returns it: no <c>.tag</c>.</summary>
    public static void WriteFile(Utf8JsonWriter json, in EntrySnapshot file)
    {
        json.WriteStartObject();
        WriteFileFields(json, file);
        json.WriteEndObject();
    }

    /// <summary>A successful batch entry: the <c>FileMetadata</c> fields beside <c>.tag</c> <c>success</c>.</summary>
    public static void WriteBatchSuccess(Utf8JsonWriter json, in EntrySnapshot file)
    {
        json.WriteStartObject();
        json.WriteString(Tag, "success");
        WriteFileFields(json, file);
        json.WriteEndObject();
    }

    /// <summary>A <c>Metadata</c>: tagged <c>file</c> or <c>folder</c>.</summary>
    public static void WriteTagged(Utf8JsonWriter json, in EntrySnapshot entry)
    {
        json.WriteStartObject();
        if (entry.IsFolder)
        {
            json.WriteString(Tag, FolderTag);
            WriteCommonFields(json, entry);
        }
        else
        {
            json.WriteString(Tag, FileTag);
            WriteFileFields(json, entry);
        }

        json.WriteEndObject();
    }

    private static void WriteFileFields(Utf8JsonWriter json, in EntrySnapshot file)
    {
        var version = file.File!;
        WriteCommonFields(json, file);
        DropboxTimestamp.Write(json, ClientModified, version.ClientModified);
        DropboxTimestamp.Write(json, ServerModified, version.ServerModified);
        json.WriteString(Rev, version.Rev);
        json.WriteNumber(Size, version.Size);
        json.WriteBoolean(IsDownloadable, true);
        json.WriteString(ContentHash, version.ContentHash);
    }

    private static void WriteCommonFields(Utf8JsonWriter json, in EntrySnapshot entry)
    {
        json.WriteString(Name, entry.Name);
        json.WriteString(PathLower, entry.PathLower);
        json.WriteString(PathDisplay, entry.PathDisplay);
        json.WriteString(Id, entry.Id);
    }
}
