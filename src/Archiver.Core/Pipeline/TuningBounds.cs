namespace Archiver.Core.Pipeline;

/// <summary>
/// The range of each per-customer setting, wherever it is set: the configuration file's defaults
/// (<see cref="PipelineOptions"/>) and customer blocks (<see cref="CustomerOverride"/>), the tuning stored through the
/// customers API, and the <see cref="Throttle"/>'s floor.
/// </summary>
public static class TuningBounds
{
    /// <summary>The slowest rate a customer may be configured for, and the lowest a 429 may cut a faster one to.</summary>
    public const double MinRatePerSecond = 0.1;

    public const double MaxRatePerSecond = 10_000;

    public const int MinBurst = 1;

    public const int MaxBurst = 10_000;

    public const int MinParallelism = 1;

    public const int MaxParallelism = 1_000;
}
