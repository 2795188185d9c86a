using System.Text.Json;
using Archiver.Dropbox.Json;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Tests.Client;

public sealed class ApiArgHeaderTests
{
    [Fact]
    public void Header_WithNonAsciiPath_IsPrintableAsciiThatDecodesToThePath()
    {
        const string path = "/Anrufe/Müller – 東京 📞\u007f.mp3";

        var header = ApiArgHeader.Format(UploadArg.From(new CommitInfo(path), contentHash: null));

        Assert.All(header, c => Assert.InRange(c, '\x20', '\x7e'));
        Assert.Contains("\\u00FC", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\\u007F", header, StringComparison.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(header);
        Assert.Equal(path, json.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public void Header_WithCommitInfo_UsesDropboxFieldNamesAndTimestampFormat()
    {
        var commit = new CommitInfo("/a.txt")
        {
            Mode = WriteMode.Update("a1c10ce0dd78"),
            Mute = true,
            ClientModified = new DateTimeOffset(2024, 3, 14, 10, 26, 53, 500, TimeSpan.FromHours(1)),
        };

        var header = ApiArgHeader.Format(UploadArg.From(commit, contentHash: null));

        using var json = JsonDocument.Parse(header);
        var root = json.RootElement;
        Assert.Equal("update", root.GetProperty("mode").GetProperty(".tag").GetString());
        Assert.Equal("a1c10ce0dd78", root.GetProperty("mode").GetProperty("update").GetString());
        Assert.Equal("2024-03-14T09:26:53Z", root.GetProperty("client_modified").GetString());
        Assert.True(root.GetProperty("mute").GetBoolean());
        Assert.False(root.GetProperty("strict_conflict").GetBoolean());
        Assert.False(root.TryGetProperty("content_hash", out _));
    }

    [Fact]
    public void Header_WithAddMode_UsesTheCompactUnionForm()
    {
        var header = ApiArgHeader.Format(UploadArg.From(new CommitInfo("/a.txt"), contentHash: null));

        using var json = JsonDocument.Parse(header);
        Assert.Equal("add", json.RootElement.GetProperty("mode").GetString());
    }
}
