namespace Archiver.Configuration.Hocon.Tests;

public class SyntaxTests
{
    [Fact]
    public void DottedKeys_AreNestedObjects()
    {
        var dotted = Hocon.Flatten("a.b.c = 1");
        var nested = Hocon.Flatten("a { b { c = 1 } }");

        Assert.Equal("1", dotted["a:b:c"]);
        Assert.Equal(nested, dotted);
    }

    [Fact]
    public void DottedKeys_MergeWithExistingObjects()
    {
        var data = Hocon.Flatten("""
            a { b { c = 1 } }
            a.b.d = 2
            a.e = 3
            """);

        Assert.Equal("1", data["a:b:c"]);
        Assert.Equal("2", data["a:b:d"]);
        Assert.Equal("3", data["a:e"]);
    }

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("a=1")]
    [InlineData("a:1")]
    [InlineData("\"a\" : 1")]
    [InlineData("{ a = 1 }")]
    [InlineData("{\"a\":1}")]
    public void EqualsAndColon_BothSeparateKeyAndValue(string text)
    {
        Assert.Equal("1", Hocon.Flatten(text)["a"]);
    }

    [Fact]
    public void SeparatorMayBeOmitted_BeforeAnObject()
    {
        var data = Hocon.Flatten("server { port = 8080 }");

        Assert.Equal("8080", data["server:port"]);
    }

    [Fact]
    public void RootBraces_AreOptional()
    {
        Assert.Equal(Hocon.Flatten("{ a = 1, b = 2 }"), Hocon.Flatten("a = 1\nb = 2"));
    }

    [Fact]
    public void Comments_WithHashAndDoubleSlash_AreIgnored()
    {
        var data = Hocon.Flatten("""
            # a hash comment
            // a slash comment
            a = 1 # trailing
            b = 2 // trailing
            c = "x # not a comment // either"
            """);

        Assert.Equal("1", data["a"]);
        Assert.Equal("2", data["b"]);
        Assert.Equal("x # not a comment // either", data["c"]);
        Assert.Equal(3, data.Count);
    }

    [Fact]
    public void Fields_MaySeparateWithNewlinesOrCommas()
    {
        var data = Hocon.Flatten("a = 1, b = 2\nc = 3,\nd = 4,");

        Assert.Equal(new string?[] { "1", "2", "3", "4" }, new[] { data["a"], data["b"], data["c"], data["d"] });
    }

    [Fact]
    public void QuotedStrings_DecodeJsonEscapes()
    {
        var data = Hocon.Flatten("""
            s = "tab\there \"quoted\" back\\slash \/ \u00e9 line\nbreak"
            """);

        Assert.Equal("tab\there \"quoted\" back\\slash / \u00e9 line\nbreak", data["s"]);
    }

    [Fact]
    public void UnquotedStrings_StopAtForbiddenCharacters()
    {
        var data = Hocon.Flatten("""
            a = hello
            b = foo.bar-baz_1/2
            c = [x,y]
            d = { e = f }
            """);

        Assert.Equal("hello", data["a"]);
        Assert.Equal("foo.bar-baz_1/2", data["b"]);
        Assert.Equal("x", data["c:0"]);
        Assert.Equal("y", data["c:1"]);
        Assert.Equal("f", data["d:e"]);
    }

    [Fact]
    public void UnquotedStrings_StopAtDoubleSlashComment()
    {
        var data = Hocon.Flatten("a = some/path//comment");

        Assert.Equal("some/path", data["a"]);
    }

    [Fact]
    public void UnquotedValueConcatenation_KeepsInnerWhitespace()
    {
        var data = Hocon.Flatten("a =   hello   big  world   \nb = 5 seconds");

        Assert.Equal("hello   big  world", data["a"]);
        Assert.Equal("5 seconds", data["b"]);
    }

    [Fact]
    public void QuotedAndUnquotedParts_Concatenate()
    {
        var data = Hocon.Flatten("a = \"foo\"bar\" baz\" qux");

        Assert.Equal("foobar baz qux", data["a"]);
    }

    [Fact]
    public void TripleQuotedStrings_SpanLinesWithoutEscapes()
    {
        var data = Hocon.Flatten("a = \"\"\"line one\n  line \"two\" \\n raw\"\"\"\nb = 1");

        Assert.Equal("line one\n  line \"two\" \\n raw", data["a"]);
        Assert.Equal("1", data["b"]);
    }

    [Fact]
    public void TripleQuotedStrings_ExtraClosingQuotesBelongToTheString()
    {
        var data = Hocon.Flatten("a = \"\"\"x\"\"\"\"\"");

        Assert.Equal("x\"\"", data["a"]);
    }

    [Fact]
    public void Arrays_SpanLinesAndAllowTrailingComma()
    {
        var data = Hocon.Flatten("""
            list = [
              1,
              "two"
              three four
              { five = 5 },
              [6, 7],
            ]
            """);

        Assert.Equal("1", data["list:0"]);
        Assert.Equal("two", data["list:1"]);
        Assert.Equal("three four", data["list:2"]);
        Assert.Equal("5", data["list:3:five"]);
        Assert.Equal("6", data["list:4:0"]);
        Assert.Equal("7", data["list:4:1"]);
        Assert.False(data.ContainsKey("list:5"));
    }

    [Fact]
    public void ArrayConcatenation_JoinsArrays()
    {
        var data = Hocon.Flatten("a = [1, 2] [3]");

        Assert.Equal(new string?[] { "1", "2", "3" }, new[] { data["a:0"], data["a:1"], data["a:2"] });
    }

    [Fact]
    public void DuplicateObjectKeys_MergeObjects()
    {
        var data = Hocon.Flatten("""
            db { host = localhost, port = 5432 }
            db { port = 6543, user = archiver }
            """);

        Assert.Equal("localhost", data["db:host"]);
        Assert.Equal("6543", data["db:port"]);
        Assert.Equal("archiver", data["db:user"]);
    }

    [Fact]
    public void DuplicateNonObjectKeys_LaterWins()
    {
        var data = Hocon.Flatten("a = 1\na = 2\nb = [1, 2, 3]\nb = [4]");

        Assert.Equal("2", data["a"]);
        Assert.Equal("4", data["b:0"]);
        Assert.False(data.ContainsKey("b:1"));
    }

    [Fact]
    public void NonObjectValue_HidesEarlierObject()
    {
        var data = Hocon.Flatten("a { x = 1 }\na = null\na { y = 2 }");

        Assert.False(data.ContainsKey("a:x"));
        Assert.Equal("2", data["a:y"]);
    }

    [Fact]
    public void ObjectConcatenation_MergesObjects()
    {
        var data = Hocon.Flatten("a = { x = 1, y = 1 } { y = 2 }");

        Assert.Equal("1", data["a:x"]);
        Assert.Equal("2", data["a:y"]);
    }

    [Fact]
    public void QuotedKeys_KeepDotsInOneKey()
    {
        var data = Hocon.Flatten("""
            "a.b" = 1
            x."y.z".w = 2
            """);

        Assert.Equal("1", data["a.b"]);
        Assert.Equal("2", data["x:y.z:w"]);
        Assert.False(data.ContainsKey("a:b"));
    }

    [Fact]
    public void KeysWithInnerWhitespace_KeepIt()
    {
        var data = Hocon.Flatten("foo bar = 1\nfoo include = 2");

        Assert.Equal("1", data["foo bar"]);
        Assert.Equal("2", data["foo include"]);
    }

    [Fact]
    public void Scalars_KeepTheirTextAndNullIsUnset()
    {
        var data = Hocon.Flatten("n = 1.50\nt = true\nf = false\nz = null\nneg = -3e2");

        Assert.Equal("1.50", data["n"]);
        Assert.Equal("true", data["t"]);
        Assert.Equal("false", data["f"]);
        Assert.Null(data["z"]);
        Assert.Equal("-3e2", data["neg"]);
    }

    [Fact]
    public void NewlineAfterSeparator_IsAllowed()
    {
        var data = Hocon.Flatten("a =\n  1");

        Assert.Equal("1", data["a"]);
    }

    [Fact]
    public void JsonDocuments_ParseAsHocon()
    {
        var data = Hocon.Flatten("""
            {
              "name": "archiver",
              "limits": { "max": 10, "ratio": 0.5 },
              "tags": ["a", "b"],
              "enabled": true,
              "nothing": null
            }
            """);

        Assert.Equal("archiver", data["name"]);
        Assert.Equal("10", data["limits:max"]);
        Assert.Equal("0.5", data["limits:ratio"]);
        Assert.Equal("b", data["tags:1"]);
        Assert.Equal("true", data["enabled"]);
        Assert.Null(data["nothing"]);
    }

    [Fact]
    public void PlusEquals_AppendsToArray()
    {
        var data = Hocon.Flatten("""
            paths = [/a]
            paths += /b
            paths += "/c"
            """);

        Assert.Equal(new string?[] { "/a", "/b", "/c" }, new[] { data["paths:0"], data["paths:1"], data["paths:2"] });
    }

    [Fact]
    public void PlusEquals_CreatesTheArrayWhenMissing()
    {
        var data = Hocon.Flatten("server { plugins += first }\nserver.plugins += second");

        Assert.Equal("first", data["server:plugins:0"]);
        Assert.Equal("second", data["server:plugins:1"]);
    }

    [Fact]
    public void EmptyDocument_HasNoKeys()
    {
        Assert.Empty(Hocon.Flatten("  \n# only a comment\n"));
    }

    [Fact]
    public void ByteOrderMark_IsIgnored()
    {
        Assert.Equal("1", Hocon.Flatten("\uFEFFa = 1")["a"]);
    }

    [Fact]
    public void WindowsLineEndings_AreAccepted()
    {
        var data = Hocon.Flatten("a = 1\r\nb = two words\r\n");

        Assert.Equal("1", data["a"]);
        Assert.Equal("two words", data["b"]);
    }
}
