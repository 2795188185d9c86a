using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="IItemQueue"/> must do: enqueue once per external id, claim due items in id order under a
/// lease's fencing token, checkpoint outcomes (refusing those of a stale token), release claims, retry failed items,
/// list and count. The cases are grouped by area in the partial files beside this one.
/// </summary>
public abstract partial class ItemQueueContractTests(TestStores stores) : StoreContractTests(stores);

/// <summary>The item queue contract against SQLite.</summary>
public sealed class SqliteItemQueueTests() : ItemQueueContractTests(new SqliteTestStores());

/// <summary>The item queue contract against PostgreSQL.</summary>
public sealed class PostgresItemQueueTests() : ItemQueueContractTests(new PostgresTestStores());
