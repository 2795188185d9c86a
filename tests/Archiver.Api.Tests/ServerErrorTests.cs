using Archiver.Core.Storage;
using Archiver.Testing;

namespace Archiver.Api.Tests;

public sealed class ServerErrorTests
{
    [Fact]
    public async Task UnexpectedFailure_IsA500ProblemThatDoesNotLeakTheExceptionMessage()
    {
        await using var node = await ApiNode.StartAsync(wrapStore: store => new BrokenJournal(store));

        var (status, problem) = await node.SendAsync(HttpMethod.Get, "/api/v1/events");

        Assert.Equal(500, status);
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("secret-internal-detail", problem.ToString(), StringComparison.Ordinal);
    }

    private sealed class BrokenJournal(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        public override Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret-internal-detail");
    }
}
