using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// Makes new, empty stores of one kind for one test, each with a database of its own, and removes them all after the
/// test: what a contract suite needs of a database to run against it.
/// </summary>
public abstract class TestStores
{
    /// <summary>Readies what every store of the test shares (a server to create databases on), before the test.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A new, empty, unmigrated store of its own.</summary>
    public abstract Task<IArchiveStore> CreateAsync(TimeProvider time, WorkSignal signal);

    /// <summary>Closes every store made and deletes its database.</summary>
    public abstract Task DisposeAsync();
}
