using Archiver.Core.Node;

namespace Archiver.Core.Tests.Node;

public sealed class NodeIdentityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "archiver-node-identity-tests", Guid.NewGuid().ToString("N"), "data");

    private string IdFile => Path.Combine(_directory, NodeIdentity.FileName);

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Claim_FirstStart_GeneratesAnIdIntoNodeIdReadableByItsOwnerOnly()
    {
        string id;
        using (var identity = NodeIdentity.Claim(_directory))
        {
            id = identity.Id;
        }

        Assert.Matches("^[A-Za-z0-9._:-]{1,100}$", id);
        Assert.Equal(id, File.ReadAllText(IdFile).Trim()); // once released: while held, only its holder may open it
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(IdFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
    }

    [Fact]
    public void Claim_AfterThePreviousHolderEnded_ReturnsTheSameId()
    {
        string first;
        using (var identity = NodeIdentity.Claim(_directory))
        {
            first = identity.Id;
        }

        using var again = NodeIdentity.Claim(_directory);

        Assert.Equal(first, again.Id);
    }

    [Fact]
    public void Claim_WhileAnotherHolderIsAlive_IsRefusedNamingTheFile()
    {
        using var first = NodeIdentity.Claim(_directory);

        var refused = Assert.Throws<StartupRefusedException>(() => NodeIdentity.Claim(_directory));

        Assert.Contains(IdFile, refused.Message, StringComparison.Ordinal);
        Assert.Contains("another node", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_WithAConfiguredId_UsesItAndStillKeepsOtherNodesOutOfTheDirectory()
    {
        using var identity = NodeIdentity.Claim(_directory, configuredId: "node-7");

        Assert.Equal("node-7", identity.Id);
        Assert.Throws<StartupRefusedException>(() => NodeIdentity.Claim(_directory, configuredId: "node-8"));
    }

    [Fact]
    public void Claim_AnEmptyFileLeftByACrashDuringTheFirstStart_GeneratesAnId()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(IdFile, "");

        string id;
        using (var identity = NodeIdentity.Claim(_directory))
        {
            id = identity.Id;
        }

        Assert.NotEmpty(id);
        Assert.Equal(id, File.ReadAllText(IdFile).Trim());
    }

    [Fact]
    public void Claim_AFileHoldingSomethingElse_IsRefusedNamingTheFile()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(IdFile, "not a node id / at all");

        var refused = Assert.Throws<StartupRefusedException>(() => NodeIdentity.Claim(_directory));

        Assert.Contains(IdFile, refused.Message, StringComparison.Ordinal);
    }
}
