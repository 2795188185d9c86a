using Archiver.Core.Storage;

namespace Archiver.Hosting;

/// <summary>Brings the schema up to date before the admin API starts listening, so no request meets a missing table.</summary>
internal sealed class StoreMigration(IArchiveStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
