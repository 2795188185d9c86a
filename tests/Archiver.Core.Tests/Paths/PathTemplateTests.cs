using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Paths;

namespace Archiver.Core.Tests.Paths;

public sealed class PathTemplateTests
{
    private static ArchiveItem Item(string externalId = "c-1", string? from = "+4930123", string? to = "+4940987", ItemKind kind = ItemKind.CallRecording) =>
        new(1, new CustomerId("acme"), externalId, kind, new Uri("gen:x"),
            new ItemMetadata(new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero), from, to), 10, 0, DateTimeOffset.MinValue);

    [Fact]
    public void Render_DefaultTemplate_NamesFolderDateAndParties()
    {
        var path = PathTemplate.Parse(PathTemplate.Default).Render(Item());

        Assert.Equal("/Archiver/calls/2026/03/07/+4930123_+4940987_c-1.wav", path);
    }

    [Theory]
    [InlineData(ItemKind.Sms, "/sms/c-1.txt")]
    [InlineData(ItemKind.Fax, "/faxes/c-1.pdf")]
    [InlineData(ItemKind.Voicemail, "/voicemails/c-1.wav")]
    public void Render_EachKind_GetsItsFolderAndExtension(ItemKind kind, string expected)
    {
        Assert.Equal(expected, PathTemplate.Parse("/{kind}/{id}.{ext}").Render(Item(kind: kind)));
    }

    [Fact]
    public void Render_ValuesWithSeparatorsOrReservedCharacters_AreMadeSafe()
    {
        var path = PathTemplate.Parse("/{from}/{id}.{ext}").Render(Item(externalId: "a/b\\c:d*e?f\"g|h<i>j\u0001", from: "x/.."));

        Assert.Matches(@"^/x_/a_b_c_d_e_f_g_h_i_j_~[a-z2-7]{26}\.wav$", path);
    }

    [Fact]
    public void Render_ValueOfOnlyDots_NeverLeavesAnEmptyComponent()
    {
        Assert.Matches(@"^/_/_~[a-z2-7]{26}\.wav$", PathTemplate.Parse("/{from}/{id}.{ext}").Render(Item(externalId: "..", from: "..")));
    }

    [Fact]
    public void Render_TrailingDotsAndSpaces_AreRemoved()
    {
        Assert.Matches("^/end/id~[a-z2-7]{26}$", PathTemplate.Parse("/{from}/{id}").Render(Item(externalId: "id. .", from: "end. ")));
    }

    [Fact]
    public void Render_PlainLowercaseId_IsUsedAsItIs()
    {
        Assert.Equal("/call-42.wav", PathTemplate.Parse("/{id}.{ext}").Render(Item(externalId: "call-42")));
    }

    [Fact]
    public void Render_IdsThatDifferOnlyInCase_NeverShareAPath_EvenCaseInsensitively()
    {
        var template = PathTemplate.Parse("/{id}.{ext}");
        string[] ids = ["call-1", "CALL-1", "Call-1"];

        var paths = ids.Select(id => template.Render(Item(externalId: id))).ToArray();

        Assert.Equal(3, paths.Select(p => p.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(paths, ids.Select(id => template.Render(Item(externalId: id)))); // the same id always renders the same
    }

    [Fact]
    public void Render_IdsThatSanitiseAlike_NeverShareAPath()
    {
        var template = PathTemplate.Parse("/{id}.{ext}");

        Assert.NotEqual(template.Render(Item(externalId: "a/b")), template.Render(Item(externalId: "a:b")));
    }

    [Fact]
    public void Render_LongIds_SharingTheirFirst128Characters_NeverShareAPath()
    {
        var template = PathTemplate.Parse("/{id}.{ext}");
        var prefix = new string('x', 300);

        Assert.NotEqual(template.Render(Item(externalId: prefix + "a")), template.Render(Item(externalId: prefix + "b")));
    }

    [Fact]
    public void Render_LongComponent_IsCutWithinItsPlaceholders_KeepingIdAndExtension()
    {
        var path = PathTemplate.Parse("/{from}_{id}.{ext}").Render(Item(from: new string('x', 400)));

        var name = path[1..];
        Assert.InRange(name.Length, 1, 255);
        Assert.Matches("^x+_c-1\\.wav$", name);
    }

    [Fact]
    public void Render_MissingParties_AreCalledUnknown()
    {
        Assert.Equal("/unknown_unknown_c-1", PathTemplate.Parse("/{from}_{to}_{id}").Render(Item(from: null, to: "")));
    }

    [Theory]
    [InlineData("Archiver/{id}", "must start with '/'")]
    [InlineData("/{kind}/{nope}/{id}", "unknown placeholder '{nope}'")]
    [InlineData("/{kind}", "must contain {id}")]
    [InlineData("/{id", "unclosed")]
    public void Parse_BadTemplate_SaysWhatIsWrong(string template, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PathTemplate.Parse(template));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
