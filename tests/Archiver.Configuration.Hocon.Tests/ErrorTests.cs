namespace Archiver.Configuration.Hocon.Tests;

public class ErrorTests
{
    [Theory]
    [InlineData("a {\n  b = 1\n", "archiver.conf:3:1: expected '}' but found end of file")]
    [InlineData("a = [1, 2", "archiver.conf:1:10: expected ']' but found end of file")]
    [InlineData("a = \"unterminated", "archiver.conf:1:5: unterminated quoted string")]
    [InlineData("a = \"\"\"never closed", "archiver.conf:1:5: unterminated triple-quoted string")]
    [InlineData("a = \"bad \\q escape\"", "archiver.conf:1:10: invalid escape sequence '\\q' in quoted string")]
    [InlineData("a = \"line\nbreak\"", "archiver.conf:1:10: newline inside a quoted string (use \\n, or a triple-quoted \"\"\"string\"\"\")")]
    [InlineData("a = 1\nb\nc = 2", "archiver.conf:2:2: expected ':', '=' or '{' after key 'b' but found newline")]
    [InlineData("a = 1,,b = 2", "archiver.conf:1:7: unexpected ',' (expected a key)")]
    [InlineData("a = [1,,2]", "archiver.conf:1:8: unexpected ',' (expected an array element or ']')")]
    [InlineData("a = 1 }", "archiver.conf:1:7: unexpected '}' (no '{' to close)")]
    [InlineData("a = x@y", "archiver.conf:1:6: reserved character '@' is not allowed outside quotes")]
    [InlineData("a = 1 + 2", "archiver.conf:1:7: '+' is only allowed as part of '+=' (quote the value if it contains '+')")]
    [InlineData("a = $x", "archiver.conf:1:5: '$' is only allowed to start a substitution '${...}' (quote the value if it contains '$')")]
    [InlineData("a = ${b", "archiver.conf:1:5: unterminated substitution: expected '}'")]
    [InlineData("a = ${}", "archiver.conf:1:5: empty substitution '${}'")]
    [InlineData("a..b = 1", "archiver.conf:1:1: invalid path 'a..b': empty path element (two dots, or a leading or trailing dot)")]
    [InlineData("a = http://x", "archiver.conf:1:9: unexpected ':' in a value (quote the value if it contains ':')")]
    [InlineData("[1, 2]", "archiver.conf:1:1: the root of a HOCON configuration file must be an object, not an array")]
    [InlineData("{ a = 1 } b = 2", "archiver.conf:1:11: expected end of file after the root object but found 'b'")]
    [InlineData("a = 1 2 }", "archiver.conf:1:9: unexpected '}' (no '{' to close)")]
    [InlineData("a {\n  b = 1 c = 2 = 3\n}", "archiver.conf:2:11: unexpected '=' in a value (quote the value if it contains '=')")]
    public void SyntaxErrors_NameFileLineAndColumn(string text, string expected)
    {
        var error = Hocon.Fails(text, source: "archiver.conf");

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void HoconException_ExposesItsParts()
    {
        var error = Hocon.Fails("a {\n\n   b = [", source: "archiver.conf");

        Assert.Equal("archiver.conf", error.SourceName);
        Assert.Equal(3, error.Line);
        Assert.Equal(9, error.Column);
        Assert.Equal("expected ']' but found end of file", error.Reason);
    }
}
