using Akka.Configuration;
using Archiver.Core.Node;

namespace Archiver.Core.Cluster;

/// <summary>
/// The Akka settings that make a node's actor system a cluster member: the remote endpoint from
/// <see cref="ClusterOptions"/>, the failure detection and split brain resolver that <c>hocon/archiver.conf</c>
/// documents (and may override), tuned so that the customers of a node that died are served again within seconds, and
/// the sharding of customers (remembered in the journal, handed off with the time a drain takes).
/// </summary>
public static class ClusterSettings
{
    /// <summary>The defaults, as configuration keys (so that the effective settings can be shown as they are handed over).</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["akka:actor:provider"] = "cluster",
        ["akka:cluster:downing-provider-class"] = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster",
        ["akka:cluster:split-brain-resolver:active-strategy"] = "keep-majority",
        ["akka:cluster:split-brain-resolver:stable-after"] = "2s",
        ["akka:cluster:split-brain-resolver:down-all-when-unstable"] = "on",
        ["akka:cluster:failure-detector:heartbeat-interval"] = "1s",
        ["akka:cluster:failure-detector:acceptable-heartbeat-pause"] = "3s",
        ["akka:cluster:seed-node-timeout"] = "3s",
        ["akka:cluster:log-info-verbose"] = "off",
        ["akka:cluster:sharding:remember-entities"] = "on",
        ["akka:cluster:sharding:remember-entities-store"] = "eventsourced",
        ["akka:cluster:down-removal-margin"] = "500ms",
        ["akka:cluster:sharding:rebalance-interval"] = "2s",
        ["akka:cluster:sharding:least-shard-allocation-strategy:rebalance-absolute-limit"] = "20",
        ["akka:cluster:sharding:least-shard-allocation-strategy:rebalance-relative-limit"] = "0.5",
        ["akka:cluster:sharding:retry-interval"] = "1s",
        ["akka:cluster:sharding:lease-retry-interval"] = "500ms",
        ["akka:cluster:sharding:handoff-timeout"] = "45s",
        ["akka:coordinated-shutdown:phases:cluster-sharding-shutdown-region:timeout"] = "40s",
    };

    /// <summary>
    /// The remote endpoint, bound to <see cref="ClusterOptions.Host"/> and reached by <see cref="ClusterOptions.PublicHost"/>;
    /// no durable distributed data (sharding remembers customers in the journal, never in local files); and every shard
    /// running only while it holds its customers' leases (<see cref="ShardLease"/>): not a setting, the safety net.
    /// </summary>
    public static Config Remote(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var publicHost = string.IsNullOrWhiteSpace(options.PublicHost) ? options.Host : options.PublicHost;
        return ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = "{{options.Host}}"
              port = {{options.Port}}
              public-hostname = "{{publicHost}}"
            }
            akka.cluster.sharding.distributed-data.durable.keys = []
            akka.cluster.sharding.use-lease = "akka.cluster.sharding.customer-leases"
            akka.cluster.sharding.customer-leases {
              lease-class = "{{typeof(ShardLease).AssemblyQualifiedName}}"
              lease-operation-timeout = 30s
            }
            """);
    }

    /// <summary><see cref="Remote"/> over <see cref="Defaults"/>: everything an embedded node (bench, tests) needs to be a cluster member.</summary>
    public static Config For(ClusterOptions options) =>
        Remote(options).WithFallback(ConfigurationFactory.ParseString(string.Join('\n',
            Defaults.Select(setting => $"{setting.Key.Replace(':', '.')} = \"{setting.Value}\""))));
}
