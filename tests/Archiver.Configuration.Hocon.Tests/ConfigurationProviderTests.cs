using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Archiver.Configuration.Hocon.Tests;

public sealed class ConfigurationProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AddHoconFile_FlattensObjectsArraysAndNulls()
    {
        var path = _dir.Write("archiver.conf", """
            archiver {
              name = main
              storage { root = /var/archive, quota = 4MiB }
              sources = [ /home, /etc ]
              nothing = null
              empty {}
            }
            """);

        var config = new ConfigurationBuilder().AddHoconFile(path).Build();

        Assert.Equal("main", config["archiver:name"]);
        Assert.Equal("/var/archive", config["archiver:storage:root"]);
        Assert.Equal("4MiB", config["Archiver:Storage:Quota"]);
        Assert.Equal("/home", config["archiver:sources:0"]);
        Assert.Equal("/etc", config["archiver:sources:1"]);
        Assert.Null(config["archiver:nothing"]);
        Assert.Null(config["archiver:empty"]);
        Assert.Equal(["empty", "name", "nothing", "sources", "storage"], config.GetSection("archiver").GetChildren().Select(c => c.Key).Order());
    }

    [Fact]
    public void Provider_TracesEveryKeyToTheFileAndLineOfItsValue_IncludesAndTransformedKeysToo()
    {
        _dir.Write("common.conf", "shared {\n  depth = 3\n}\n");
        var path = _dir.Write("archiver.conf", "include \"common.conf\"\narchiver {\n  max-upload = 512\n  paths = [ /a,\n    /b ]\n  empty {}\n}\n");
        var root = new ConfigurationBuilder().AddHoconFile(source =>
        {
            source.Path = path;
            source.KeyTransform = key => key.Replace("-", string.Empty, StringComparison.Ordinal);
            source.ResolveFileProvider();
        }).Build();

        var origins = root.Providers.OfType<HoconConfigurationProvider>().Single().Origins;

        Assert.Equal(new HoconKeyOrigin("archiver:max-upload", path, 3), origins["archiver:maxupload"]);
        Assert.Equal($"{path}:5", origins["archiver:paths:1"].ToString());
        Assert.Equal(6, origins["archiver:empty"].Line);
        Assert.Equal((Path.Combine(_dir.Path, "common.conf"), 2), (origins["shared:depth"].SourceName, origins["shared:depth"].Line));
    }

    [Fact]
    public void AddHoconFile_BindsIntoAnOptionsClass()
    {
        var path = _dir.Write("archiver.conf", """
            archiver {
              name = main
              timeout = 5s
              max-upload = 512KiB
              workers = 4
              paths = [ /a, /b ]
              storage.root = /var/archive
            }
            """);
        var config = new ConfigurationBuilder().AddHoconFile(path).Build();

        var options = config.GetSection("archiver").Get<ArchiverOptions>()!;

        Assert.Equal("main", options.Name);
        Assert.Equal(4, options.Workers);
        Assert.Equal(["/a", "/b"], options.Paths);
        Assert.Equal("/var/archive", options.Storage.Root);
        Assert.Equal(TimeSpan.FromSeconds(5), HoconValues.ParseDuration(options.Timeout));
        Assert.Equal(512 * 1024, HoconValues.ParseSize(config["archiver:max-upload"]!));
    }

    [Fact]
    public void RegisteredTimeSpanConverter_LetsTheBinderReadHoconDurations()
    {
        HoconValues.RegisterTimeSpanConverter();
        HoconValues.RegisterTimeSpanConverter(); // idempotent
        var path = _dir.Write("archiver.conf", "poll { interval = 5s, timeout = \"00:01:00\", grace = 250 }");
        var config = new ConfigurationBuilder().AddHoconFile(path).Build();

        var options = config.GetSection("poll").Get<PollOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Grace);
    }

    [Fact]
    public void AddHoconFile_ResolvesIncludesRelativeToTheFile()
    {
        _dir.Write("etc/defaults.conf", "archiver { workers = 2, name = default }");
        var path = _dir.Write("etc/archiver.conf", "include \"defaults.conf\"\narchiver.name = custom");

        var config = new ConfigurationBuilder().AddHoconFile(path).Build();

        Assert.Equal("2", config["archiver:workers"]);
        Assert.Equal("custom", config["archiver:name"]);
    }

    [Fact]
    public void AddHoconFile_RelativePathUsesTheBuilderBasePath()
    {
        _dir.Write("conf/shared.conf", "shared = yes");
        _dir.Write("conf/app.conf", "include \"shared.conf\"\napp = 1");

        var config = new ConfigurationBuilder().SetBasePath(_dir.Path).AddHoconFile("conf/app.conf").Build();

        Assert.Equal("1", config["app"]);
        Assert.Equal("yes", config["shared"]);
    }

    [Fact]
    public void AddHoconFile_WithNonPhysicalProvider_ResolvesIncludesThroughIt()
    {
        var provider = new InMemoryFileProvider(new Dictionary<string, string>
        {
            ["conf/app.conf"] = "include \"parts/db.conf\"\napp = 1",
            ["conf/parts/db.conf"] = "db.host = localhost\ninclude \"../../top.conf\"",
            ["top.conf"] = "top = yes",
        });

        var config = new ConfigurationBuilder().AddHoconFile(provider, "conf/app.conf", optional: false, reloadOnChange: false).Build();

        Assert.Equal("1", config["app"]);
        Assert.Equal("localhost", config["db:host"]);
        Assert.Equal("yes", config["top"]);
    }

    [Fact]
    public void MissingOptionalFile_GivesNoKeys()
    {
        var config = new ConfigurationBuilder().AddHoconFile(Path.Combine(_dir.Path, "absent.conf"), optional: true).Build();

        Assert.Empty(config.AsEnumerable());
    }

    [Fact]
    public void MissingRequiredFile_Throws()
    {
        var builder = new ConfigurationBuilder().AddHoconFile(Path.Combine(_dir.Path, "absent.conf"));

        Assert.Throws<FileNotFoundException>(() => builder.Build());
    }

    [Fact]
    public void ParseError_ThrowsWithFileLineAndColumn()
    {
        var path = _dir.Write("archiver.conf", "archiver {\n  name = x\n");
        var builder = new ConfigurationBuilder().AddHoconFile(path);

        var error = Assert.Throws<InvalidDataException>(() => builder.Build());

        var hocon = Assert.IsType<HoconException>(error.InnerException);
        Assert.Equal($"{path}:3:1: expected '}}' but found end of file", hocon.Message);
    }

    [Fact]
    public void ParseErrorOnReload_ThrowsFromLoad()
    {
        var path = _dir.Write("archiver.conf", "a = 1");
        var config = new ConfigurationBuilder().AddHoconFile(path).Build();
        var provider = config.Providers.OfType<HoconConfigurationProvider>().Single();
        File.WriteAllText(path, "a = [");

        var error = Assert.Throws<InvalidDataException>(provider.Load);

        var hocon = Assert.IsType<HoconException>(error.InnerException);
        Assert.Equal($"{path}:1:6: expected ']' but found end of file", hocon.Message);
    }

    [Fact]
    public void OnLoadException_ReceivesTheHoconException()
    {
        var path = _dir.Write("archiver.conf", "a = ${missing}");
        Exception? seen = null;

        var config = new ConfigurationBuilder()
            .AddHoconFile(source =>
            {
                source.Path = path;
                source.ResolveFileProvider();
                source.OnLoadException = context =>
                {
                    seen = context.Exception;
                    context.Ignore = true;
                };
            })
            .Build();

        Assert.Empty(config.AsEnumerable());
        var hocon = Assert.IsType<HoconException>(Assert.IsType<InvalidDataException>(seen).InnerException);
        Assert.StartsWith($"{path}:1:5: could not resolve substitution ${{missing}}", hocon.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadOnChange_ReloadsWhenAnIncludedFileChanges()
    {
        var include = _dir.Write("limits.conf", "limits.max = 1");
        var path = _dir.Write("archiver.conf", "include \"limits.conf\"\nname = main");
        var root = new ConfigurationBuilder().AddHoconFile(path, optional: false, reloadOnChange: true).Build();
        using var disposable = (IDisposable)root;
        Assert.Equal("1", root["limits:max"]);

        var reloaded = WaitForReload(root, r => r["limits:max"] == "2");
        await File.WriteAllTextAsync(include, "limits.max = 2");

        await reloaded.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("main", root["name"]);
    }

    [Fact]
    public async Task ReloadOnChange_ResolvesIncludesAfterTheMainFileChanges()
    {
        _dir.Write("conf/limits.conf", "limits.max = 1");
        _dir.Write("conf/other.conf", "limits.max = 3");
        var path = _dir.Write("conf/archiver.conf", "include \"limits.conf\"");
        var root = new ConfigurationBuilder().AddHoconFile(path, optional: false, reloadOnChange: true).Build();
        using var disposable = (IDisposable)root;
        Assert.Equal("1", root["limits:max"]);

        var reloaded = WaitForReload(root, r => r["limits:max"] == "3");
        await File.WriteAllTextAsync(path, "include \"other.conf\"");

        await reloaded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ReloadOnChange_ParseErrorReachesOnLoadException()
    {
        var path = _dir.Write("archiver.conf", "a = 1");
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var root = new ConfigurationBuilder()
            .AddHoconFile(source =>
            {
                source.Path = path;
                source.ReloadOnChange = true;
                source.ResolveFileProvider();
                source.OnLoadException = context =>
                {
                    failed.TrySetResult(context.Exception);
                    context.Ignore = true;
                };
            })
            .Build();
        using var disposable = (IDisposable)root;
        Assert.Equal("1", root["a"]);

        await File.WriteAllTextAsync(path, "a = {");
        var error = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var hocon = Assert.IsType<HoconException>(Assert.IsType<InvalidDataException>(error).InnerException);
        Assert.Equal($"{path}:1:6: expected '}}' but found end of file", hocon.Message);
    }

    private static Task WaitForReload(IConfigurationRoot root, Func<IConfigurationRoot, bool> done)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ChangeToken.OnChange(root.GetReloadToken, () =>
        {
            if (done(root))
            {
                completion.TrySetResult();
            }
        });
        return completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
    }
}
