namespace Archiver.Demo;

/// <summary>One demo customer: its Dropbox's real limit (enforced by the emulator) and the rate Archiver is configured with.</summary>
internal sealed record DemoCustomer(string Id, string Name, double DropboxLimit, int DropboxBurst, double ConfiguredRate, int Parallelism)
{
    public static IReadOnlyList<DemoCustomer> All { get; } =
    [
        new("acme", "Acme Telecom", DropboxLimit: 100, DropboxBurst: 20, ConfiguredRate: 80, Parallelism: 8),
        new("globex", "Globex Corp", DropboxLimit: 100, DropboxBurst: 20, ConfiguredRate: 80, Parallelism: 8),
        // Configured well above what its Dropbox allows: it meets 429s, pauses for Retry-After, and learns the real limit.
        new("initech", "Initech (tight limit)", DropboxLimit: 15, DropboxBurst: 10, ConfiguredRate: 40, Parallelism: 4),
    ];
}
