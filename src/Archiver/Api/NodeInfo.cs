namespace Archiver.Api;

/// <summary>This node as the API describes it: when it started and where its API listens (known once it is listening).</summary>
internal sealed class NodeInfo(TimeProvider time)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public Uri? Address { get; set; }
}
