using Archiver.Dropbox.Emulator.Accounts;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Admission of a commit to the account's namespace write lock. Injected contention (<c>ContendNextWrites</c>) is
/// taken first; then, when the account has a write time, the lock: a commit that finds it held is refused.
/// </summary>
internal readonly record struct WriteGate(bool Admitted, bool Locked, WriteContentionShape Shape, bool Injected)
{
    public static WriteGate Enter(EmulatorAccount account)
    {
        if (account.Faults.TryTakeContendedWrite(out var injected))
        {
            return new(Admitted: false, Locked: false, injected, Injected: true);
        }

        var limits = account.Limits;
        if (limits.WriteTime <= TimeSpan.Zero)
        {
            return new(Admitted: true, Locked: false, limits.Contention, Injected: false);
        }

        return account.WriteLock.TryEnter()
            ? new(Admitted: true, Locked: true, limits.Contention, Injected: false)
            : new(Admitted: false, Locked: false, limits.Contention, Injected: false);
    }

    /// <summary>Holds the lock for the account's write time, as the commit's work.</summary>
    public Task HoldAsync(EmulatorAccount account, TimeProvider time) =>
        Locked ? Task.Delay(account.Limits.WriteTime, time) : Task.CompletedTask;

    public void Exit(EmulatorAccount account)
    {
        if (Locked)
        {
            account.WriteLock.Exit();
        }
    }

    /// <summary>Answers a refused single commit: 429 <c>too_many_write_operations</c>, or the route's 409.</summary>
    public async Task RefuseAsync(HttpContext context, EmulatorAccount account, FileCommit.PathError pathError)
    {
        if (Shape == WriteContentionShape.RateLimit429)
        {
            account.Counters.ContendedWrite(as429: true);
            await ErrorJson.RateLimitedAsync(context, TimeSpan.FromSeconds(1), "too_many_write_operations").ConfigureAwait(false);
            return;
        }

        account.Counters.ContendedWrite(as429: false);
        await pathError(context, "too_many_write_operations", conflictTag: null).ConfigureAwait(false);
    }
}
