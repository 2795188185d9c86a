using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Paths;
using CsCheck;

namespace Archiver.Core.Tests.Paths;

/// <summary>Distinct external ids never share a Dropbox path; the same id always gets the same one.</summary>
public sealed class PathUniquenessTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 7, 14, 5, 9, TimeSpan.Zero);

    private static ArchiveItem Item(string externalId, string? from = "+4930123", string? to = "+4940987", ItemKind kind = ItemKind.CallRecording) =>
        new(1, new CustomerId("acme"), externalId, kind, new Uri("gen:x"), new ItemMetadata(At, from, to), 10, 0, DateTimeOffset.MinValue);

    /// <summary>Characters that stress the rules: capitals, what sanitising maps to '_', the hash separator, dots, spaces,
    /// a lone surrogate, a titlecase letter and its lowercase, non-ASCII.</summary>
    private const string Tricky = "aAbB09-_~. /\\:*?\"<>|\u0001\ud800é\u01c5\u01c6";

    private static readonly Gen<string> Text =
        Gen.Frequency(
            (3, Gen.Char[Tricky].Array[0, 12].Select(c => new string(c))),
            (1, Gen.Char[Tricky].Array[100, 140].Select(c => new string(c))),
            (1, Gen.Char[Tricky].Array[240, 600].Select(c => new string(c))),
            (2, Gen.Char["ab"].Array[0, 300].Select(c => new string(c))), // so that a cut value can run into an id
            (1, Gen.String));

    private static readonly Gen<string> Component =
        Gen.OneOf(
                Gen.Const("{id}"), Gen.Const("{from}"), Gen.Const("{to}"), Gen.Const("{ext}"), Gen.Const("{kind}"), Gen.Const("{customer}"),
                Gen.Const("{yyyy}"), Gen.Const("_"), Gen.Const("."), Gen.Const(" "), Gen.Const("-"), Gen.Const("x"), Gen.Const("~"),
                Gen.Char["ab. _"].Array[1, 120].Select(c => new string(c)))
            .Array[1, 6]
            .Select(parts => string.Concat(parts));

    private static readonly Gen<string> Template =
        Component.Array[1, 4].Select(components => "/" + string.Join('/', components))
            .Where(template => PathTemplate.TryParse(template, out _, out _));

    [Fact]
    public void DistinctIds_NeverShareAPath_EvenIgnoringCase()
    {
        Gen.Select(Template, Text, Text, Text, Text).Sample((template, from, to, id, otherId) =>
        {
            var paths = PathTemplate.Parse(template);
            var path = paths.Render(Item(id, from, to));
            var otherPath = paths.Render(Item(otherId, from, to));

            return id == otherId || !string.Equals(path, otherPath, StringComparison.OrdinalIgnoreCase);
        }, iter: 20_000);
    }

    [Fact]
    public void SameId_AlwaysGetsTheSamePath()
    {
        Gen.Select(Template, Text, Text, Text).Sample((template, from, to, id) =>
            PathTemplate.Parse(template).Render(Item(id, from, to)) == PathTemplate.Parse(template).Render(Item(new string(id.AsSpan()), from, to)),
            iter: 5_000);
    }

    [Fact]
    public void EveryRenderedComponent_IsOneDropboxCanStore()
    {
        Gen.Select(Template, Text, Text, Text).Sample((template, from, to, id) =>
            PathTemplate.Parse(template).Render(Item(id, from, to)).Split('/').Skip(1)
                .All(component => component.Length is > 0 and <= 255 && component.TrimEnd('.', ' ') == component),
            iter: 5_000);
    }

    [Fact]
    public void IdsOnceFoundToCollide_GetDistinctPaths()
    {
        var template = PathTemplate.Parse("/{id}.{ext}");
        var x123 = new string('x', 123);

        Assert.NotEqual(
            template.Render(Item($"call-{x123}-20732")).ToLowerInvariant(),
            template.Render(Item($"call-{x123}-1023800")).ToLowerInvariant());
    }

    [Fact]
    public void LongFrom_IsCutBeforeTheId_SoItemsWithTheSameLongFromKeepTheirOwnPaths()
    {
        var template = PathTemplate.Parse(PathTemplate.Default);
        var from = new string('7', 400);

        var first = template.Render(Item("call-1", from));
        var second = template.Render(Item("call-2", from));

        Assert.NotEqual(first, second);
        Assert.EndsWith("_+4940987_call-1.wav", first, StringComparison.Ordinal);
        Assert.True(first.Split('/')[^1].Length <= 255, first);
    }

    [Fact]
    public void HowMuchALongValueIsCut_DoesNotDependOnTheId_SoItCannotRunIntoIt()
    {
        var template = PathTemplate.Parse("/{from}{id}");
        var from = new string('a', 300);

        // Were "from" cut to fit each id exactly, both would be 254 'a's and a 'b'.
        Assert.NotEqual(template.Render(Item("ab", from)), template.Render(Item("b", from)));
    }

    [Fact]
    public void IdSpelledLikeAnotherIdsRendering_GetsAPathOfItsOwn()
    {
        var template = PathTemplate.Parse("/{id}");
        var rendered = template.Render(Item("a:b"))[1..];

        Assert.NotEqual(template.Render(Item("a:b")), template.Render(Item(rendered)));
    }

    [Fact]
    public void IdLongerThanAComponent_IsShortenedToAPrefixAndItsHash()
    {
        var id = "call-" + new string('x', 1000);

        var name = PathTemplate.Parse("/{from}_{id}.{ext}").Render(Item(id))[1..];

        Assert.Matches(@"^\+4930123_call-x{96}~[a-z2-7]{26}\.wav$", name);
    }

    [Fact]
    public void IdSuffix_IsTheFirst130BitsOfSha256_InLowercaseBase32()
    {
        // SHA-256 over the id's UTF-16LE code units; pinned so that a retry after an upgrade still finds its upload.
        Assert.Equal("/CALL-1~5snvmvjkol5xpdccx2462hjzad.wav", PathTemplate.Parse("/{id}.{ext}").Render(Item("CALL-1")));
    }

    [Theory]
    [InlineData("call-42")]
    [InlineData("c-1")]
    [InlineData("a b.c_d+e@f=g,h(i)j[k]l{m}n!o#p$q%r&s'")]
    public void PlainAsciiLowercaseId_IsUsedAsItIs(string id)
    {
        Assert.Equal($"/{id}.wav", PathTemplate.Parse("/{id}.{ext}").Render(Item(id)));
    }

    [Theory]
    [InlineData("call~1")]
    [InlineData("caf\u00e9")]
    [InlineData("\u01c5")]
    public void IdThatCouldPassForAnotherIdsSuffixOrFoldsOutsideAscii_GetsASuffix(string id)
    {
        Assert.Matches(@"~[a-z2-7]{26}\.wav$", PathTemplate.Parse("/{id}.{ext}").Render(Item(id)));
    }
}
