namespace Archiver.Core.Pipeline;

/// <summary>What a customer's actor is doing.</summary>
public static class PipelinePhases
{
    public const string Starting = "starting";
    public const string Running = "running";

    /// <summary>Nothing to do: the pipeline is down, and the first item due brings it back.</summary>
    public const string Idle = "idle";
    public const string Restarting = "restarting";
    public const string WaitingForLease = "waiting-for-lease";
    public const string Parked = "parked";
    public const string Stopped = "stopped";
}
