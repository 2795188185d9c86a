namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Whether a call may reach its route, and if not, what to answer.</summary>
internal readonly record struct Admission(
    AdmissionResult Result,
    EmulatorAccount? Account = null,
    TimeSpan RetryAfter = default,
    int FaultStatus = 0);

internal enum AdmissionResult
{
    Admitted,
    MissingAuthorization,
    MalformedAuthorization,
    UnknownToken,
    ExpiredToken,
    RateLimited,
    InjectedServerError,
}
