using System.CommandLine;
using Archiver.Core.Storage;
using Archiver.Hosting;

namespace Archiver.Commands;

/// <summary>Runs a one-off command against the configured store, migrated first, without starting the node.</summary>
internal static class StoreCommand
{
    public static async Task<int> RunAsync(ParseResult result, Func<IServiceProvider, IArchiveStore, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        using var host = NodeHost.Build(CommonOptions.Configuration(result), minimumLevel: LogLevel.Warning);
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(cancellationToken);
        return await action(host.Services, store, cancellationToken);
    }
}
