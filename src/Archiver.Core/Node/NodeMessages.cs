using Archiver.Pipeline;

namespace Archiver.Node;

/// <summary>A new, already validated pipeline configuration for every customer of the node.</summary>
public sealed record NodeReconfigured(PipelineConfiguration Configuration);

/// <summary>The node is stopping: drain every customer, give up their leases, leave the cluster, then answer <see cref="NodeDrained"/>.</summary>
public sealed record NodeDrainRequested
{
    public static NodeDrainRequested Instance { get; } = new();
}

/// <summary>Every customer of the node has drained and handed back its lease, and the node has left the cluster.</summary>
public sealed record NodeDrained
{
    public static NodeDrained Instance { get; } = new();
}
