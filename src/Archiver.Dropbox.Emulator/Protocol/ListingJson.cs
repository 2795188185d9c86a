using System.Text.Json;
using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Answers a listing page as <c>ListFolderResult</c>: tagged entries, the next cursor, <c>has_more</c>.</summary>
internal static class ListingJson
{
    private static readonly JsonEncodedText Entries = JsonEncodedText.Encode("entries");
    private static readonly JsonEncodedText Cursor = JsonEncodedText.Encode("cursor");
    private static readonly JsonEncodedText HasMore = JsonEncodedText.Encode("has_more");

    public static async Task AnswerAsync(HttpContext context, FileTree tree, ListCursor position)
    {
        var page = tree.List(position.Path, position.Recursive, position.After, position.Limit);
        switch (page.Status)
        {
            case ListingStatus.NotFound:
                await ErrorJson.LookupPathAsync(context, "not_found").ConfigureAwait(false);
                return;
            case ListingStatus.NotFolder:
                await ErrorJson.LookupPathAsync(context, "not_folder").ConfigureAwait(false);
                return;
        }

        var next = position with { After = page.Entries.Count > 0 ? page.Entries[^1].PathLower : position.After };
        var cursor = next.Encode();

        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteStartArray(Entries);
        foreach (var entry in page.Entries)
        {
            MetadataJson.WriteTagged(json, entry);
        }

        json.WriteEndArray();
        json.WriteString(Cursor, cursor);
        json.WriteBoolean(HasMore, page.HasMore);
        json.WriteEndObject();
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }
}
