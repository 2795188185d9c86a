namespace Archiver.Configuration.Hocon.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Load(string mainRelativePath, Func<string, string?>? environment = null)
    {
        var path = Path.Combine(_dir.Path, mainRelativePath);
        return Hocon.Flatten(File.ReadAllText(path), environment, source: path);
    }

    [Fact]
    public void Include_MergesTheFileAtThatPoint()
    {
        _dir.Write("common.conf", "a = from-common\nb = from-common");
        _dir.Write("main.conf", "a = before\ninclude \"common.conf\"\nb = after");

        var data = Load("main.conf");

        Assert.Equal("from-common", data["a"]);
        Assert.Equal("after", data["b"]);
    }

    [Fact]
    public void Include_IsRelativeToTheIncludingFile()
    {
        _dir.Write("conf/main.conf", "include \"parts/db.conf\"");
        _dir.Write("conf/parts/db.conf", "db { host = localhost }\ninclude \"../shared/limits.conf\"");
        _dir.Write("conf/shared/limits.conf", "limits.max = 10");

        var data = Load("conf/main.conf");

        Assert.Equal("localhost", data["db:host"]);
        Assert.Equal("10", data["limits:max"]);
    }

    [Fact]
    public void IncludeFileAndRequired_Forms_AreSupported()
    {
        _dir.Write("one.conf", "one = 1");
        _dir.Write("two.conf", "two = 2");
        _dir.Write("three.conf", "three = 3");
        _dir.Write("main.conf", """
            include file("one.conf")
            include required("two.conf")
            include required( file( "three.conf" ) )
            """);

        var data = Load("main.conf");

        Assert.Equal("1", data["one"]);
        Assert.Equal("2", data["two"]);
        Assert.Equal("3", data["three"]);
    }

    [Fact]
    public void MissingPlainInclude_IsIgnored()
    {
        _dir.Write("main.conf", "include \"nope.conf\"\ninclude file(\"nope-either.conf\")\na = 1");

        Assert.Equal("1", Load("main.conf")["a"]);
    }

    [Fact]
    public void MissingRequiredInclude_IsAnError()
    {
        var main = _dir.Write("main.conf", "a = 1\n  include required(\"nope.conf\")");

        var error = Assert.Throws<HoconException>(() => Load("main.conf"));

        Assert.StartsWith($"{main}:2:3: required include 'nope.conf' was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir.Path, "nope.conf"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludeInsideObject_MountsTheFileThere()
    {
        _dir.Write("db.conf", "host = localhost\nurl = \"db://\"${host}\nports += 1");
        _dir.Write("main.conf", "db { include \"db.conf\" }\ndb.host = override");

        var data = Load("main.conf");

        Assert.Equal("override", data["db:host"]);
        Assert.Equal("db://override", data["db:url"]);
        Assert.Equal("1", data["db:ports:0"]);
        Assert.False(data.ContainsKey("host"));
    }

    [Fact]
    public void IncludedSubstitution_FallsBackToTheRootPath()
    {
        _dir.Write("job.conf", "dir = ${base}/jobs");
        _dir.Write("main.conf", "base = /var/archive\njob { include \"job.conf\" }");

        Assert.Equal("/var/archive/jobs", Load("main.conf")["job:dir"]);
    }

    [Fact]
    public void IncludedSubstitution_UsesTheWrittenNameForEnvironmentVariables()
    {
        _dir.Write("job.conf", "token = ${?JOB_TOKEN}");
        _dir.Write("main.conf", "job { include \"job.conf\" }");

        var data = Load("main.conf", Hocon.Environment(("JOB_TOKEN", "secret")));

        Assert.Equal("secret", data["job:token"]);
    }

    [Fact]
    public void IncludeWithoutExtension_LoadsJsonThenConf()
    {
        _dir.Write("defaults.json", "{ \"a\": \"json\", \"b\": \"json\" }");
        _dir.Write("defaults.conf", "b = conf");
        _dir.Write("main.conf", "include \"defaults\"");

        var data = Load("main.conf");

        Assert.Equal("json", data["a"]);
        Assert.Equal("conf", data["b"]);
    }

    [Fact]
    public void IncludeCycle_IsAnError()
    {
        _dir.Write("a.conf", "include \"b.conf\"");
        _dir.Write("b.conf", "include \"a.conf\"");

        var error = Assert.Throws<HoconException>(() => Load("a.conf"));

        Assert.Contains("include cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsInIncludedFiles_NameThatFile()
    {
        var broken = _dir.Write("broken.conf", "a {\n  b = 1\n");
        _dir.Write("main.conf", "include \"broken.conf\"");

        var error = Assert.Throws<HoconException>(() => Load("main.conf"));

        Assert.Equal($"{broken}:3:1: expected '}}' but found end of file", error.Message);
    }

    [Fact]
    public void IncludeOfUrlOrClasspath_IsRejectedClearly()
    {
        var error = Hocon.Fails("include url(\"http://example.invalid/a.conf\")");

        Assert.Equal("test.conf:1:1: include url(...) is not supported; use include \"file\" or include file(\"file\")", error.Message);
        Assert.Contains("classpath(...) is not supported", Hocon.Fails("include classpath(\"a.conf\")").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludeKeyword_MustBeFollowedByAQuotedName()
    {
        var error = Hocon.Fails("include = 5");

        Assert.StartsWith("test.conf:1:9: 'include' must be followed by a quoted file name", error.Message, StringComparison.Ordinal);
        Assert.Equal("5", Hocon.Flatten("\"include\" = 5")["include"]);
    }
}
