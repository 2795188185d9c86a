using CsCheck;

namespace Archiver.Configuration.Hocon.Tests;

/// <summary>
/// Whatever text the loader is given, it either reads it or refuses it with a <see cref="HoconException"/> saying
/// where (<c>source:line:column: reason</c>): never another exception, never an error without a position.
/// </summary>
public sealed class ParserPropertyTests
{
    private const long Iterations = 5_000;

    /// <summary>The characters HOCON gives meaning to, plus a few ordinary ones, so random text reaches deep into the grammar.</summary>
    private const string HoconAlphabet = "{}[]=:+,.$?\"\\#/()\n\r\t ab1-_e@'!\u00e9\u2028\0";

    private static readonly string[] ValidDocuments =
    [
        """
        archiver {
          pipeline { rate-per-second = 10, burst = 10, poll-interval = 5m }
          customers { acme { rate-per-second = 50 } }
          content.roots = ["data/content", ${?HOME}]
        }
        """,
        """"
        base { a = 1, b = [1, 2, { c = "x" }] }
        copy = ${base} { b += 3 }
        s = "multi" ${base.a} 'lit'
        t = """triple
        quoted"""
        // comment
        # comment
        u : null, v = true, w = 1.5e3
        """",
        """
        list = [ 1, 2
          3 ]
        a.b.c = 1
        a { d = ${a.b.c}x }
        e = ${list} [4]
        f += 1
        f += 2
        "quoted.key" = 1
        """,
    ];

    private static readonly Gen<string> ArbitraryText = Gen.String;

    private static readonly Gen<string> HoconLikeText = Gen.Char[HoconAlphabet].Array[0, 80].Select(chars => new string(chars));

    private static readonly Gen<Func<string, string>> Mutation = Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Char[HoconAlphabet], Gen.Int[1, 12],
        (kind, where, c, length) => (Func<string, string>)(text =>
        {
            var at = (int)(where * text.Length);
            return kind switch
            {
                0 => text.Insert(at, c.ToString()),
                1 => text.Remove(at, Math.Min(length, text.Length - at)),
                2 when at < text.Length => string.Concat(text.AsSpan(0, at), c.ToString(), text.AsSpan(at + 1)),
                3 => text.Insert(at, text.Substring(at, Math.Min(length, text.Length - at))),
                _ => text[..at],
            };
        }));

    /// <summary>A valid document with one to four edits: a character inserted, deleted or replaced, a slice repeated, the end cut off.</summary>
    private static readonly Gen<string> MutatedDocument =
        Gen.Int[0, ValidDocuments.Length - 1].SelectMany(index =>
            Mutation.Array[1, 4].Select(mutations => mutations.Aggregate(ValidDocuments[index], (text, mutate) => mutate(text))));

    [Fact]
    public void ArbitraryText_IsReadOrRefusedWithAPositionedHoconException() =>
        ArbitraryText.Sample(ReadOrRefuseWithPosition, iter: Iterations, threads: 1);

    [Fact]
    public void TextOfHoconsOwnCharacters_IsReadOrRefusedWithAPositionedHoconException() =>
        HoconLikeText.Sample(ReadOrRefuseWithPosition, iter: Iterations, threads: 1);

    [Fact]
    public void MutatedValidDocuments_AreReadOrRefusedWithAPositionedHoconException() =>
        MutatedDocument.Sample(ReadOrRefuseWithPosition, iter: Iterations, threads: 1);

    [Fact]
    public void TheValidDocuments_AreRead()
    {
        foreach (var document in ValidDocuments)
        {
            Assert.NotEmpty(Hocon.Flatten(document));
        }
    }

    private static void ReadOrRefuseWithPosition(string text)
    {
        try
        {
            Hocon.Flatten(text);
        }
        catch (HoconException refused)
        {
            Assert.True(refused.Line >= 1 && refused.Column >= 1 && refused.SourceName.Length > 0, $"no position: {refused.Message}");
            Assert.StartsWith($"{refused.SourceName}:{refused.Line}:{refused.Column}: ", refused.Message, StringComparison.Ordinal);
        }
    }
}
