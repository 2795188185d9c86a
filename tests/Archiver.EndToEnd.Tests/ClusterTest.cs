using System.Security.Cryptography;
using Archiver.Core.Customers;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Postgres;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// Real <c>archiver run</c> processes sharing one throwaway PostgreSQL, one token key and this test's emulator: they
/// form an Akka cluster through the database.
/// </summary>
public abstract class ClusterTest : EmulatorTest
{
    /// <summary>The nodes' lease duration (the default, said here so the tests that rely on it say so too).</summary>
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly string _tokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A node with its own directory, on the shared database; <paramref name="extra"/> HOCON is appended to its settings.</summary>
    private protected async Task<RunningNode> StartNodeAsync(string nodeId, string connectionString, string extra = "")
    {
        var work = Directory.CreateDirectory(Path.Combine(Work, nodeId)).FullName;
        return await RunningNode.StartAsync(work, Emulator.BaseUri, $$"""
            archiver {
              storage { provider = postgres, postgres.connection-string = "{{connectionString}}" }
              security.token-key = "{{_tokenKey}}"
              content.roots = ["{{Path.Combine(Work, "content")}}"]
              node { node-id = {{nodeId}}, node-timeout = 2s }
              supervision.lease-duration = {{LeaseDuration.TotalSeconds}}s
            }
            {{extra}}
            """);
    }

    /// <summary>The shared database as the test sees it, migrated, reading tokens with the nodes' key.</summary>
    protected async Task<PostgresArchiveStore> OpenStoreAsync(string connectionString)
    {
        var store = new PostgresArchiveStore(
            new PostgresStoreOptions { ConnectionString = connectionString },
            AesGcmTokenProtector.FromBase64(_tokenKey),
            new WorkSignal(),
            TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Customers without items yet, each with an account in the emulator under <paramref name="limits"/>.</summary>
    protected async Task AddCustomersAsync(IArchiveStore store, IEnumerable<string> names, AccountLimits limits)
    {
        foreach (var name in names)
        {
            Emulator.AddAccount(name, $"token-{name}", limits);
            await store.AddCustomerAsync(new NewCustomer(new CustomerId(name), name, new DropboxCredentials(new Secret($"token-{name}"))), CancellationToken.None);
        }
    }
}
