using System.Collections.Concurrent;
using Archiver.Dropbox.Emulator.Hashing;

namespace Archiver.Dropbox.Emulator.Sessions;

/// <summary>
/// An account's open upload sessions. A session keeps only the running content hash and the byte count, never the
/// bytes, so a large upload costs the emulator almost no memory. Sessions expire seven days after they start.
/// </summary>
internal sealed class UploadSessions(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);

    public UploadSession Start(bool close)
    {
        var session = new UploadSession(Guid.NewGuid().ToString("N"), time.GetUtcNow() + Lifetime) { Closed = close };
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session with that id; expired ones are forgotten.</summary>
    public UploadSession? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (time.GetUtcNow() >= session.ExpiresAt)
        {
            Remove(session);
            return null;
        }

        return session;
    }

    public void Remove(UploadSession session)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, UploadSession>(session.Id, session)))
        {
            session.Discard();
        }
    }
}

/// <summary>One upload session: its running hash and size. Callers hold <see cref="Lock"/> while using it.</summary>
internal sealed class UploadSession(string id, DateTimeOffset expiresAt)
{
    private ContentHasher? _hasher = ContentHasher.Rent();

    public string Id { get; } = id;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public SemaphoreSlim Lock { get; } = new(1, 1);

    public long Size { get; set; }

    public bool Closed { get; set; }

    /// <summary>False once finished, discarded, or broken by a body that did not arrive whole.</summary>
    public bool IsUsable => _hasher is not null;

    public ContentHasher Hasher => _hasher ?? throw new InvalidOperationException("The session is no longer usable.");

    /// <summary>The hash of everything appended; the session cannot be used afterwards.</summary>
    public string Finish()
    {
        var hash = Hasher.Finish();
        Discard();
        return hash;
    }

    public void Discard()
    {
        if (Interlocked.Exchange(ref _hasher, null) is { } hasher)
        {
            ContentHasher.Return(hasher);
        }
    }
}
