using System.Collections.Concurrent;
using System.Security.Cryptography;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Uploads;

namespace Archiver.Testing;

/// <summary>
/// An in-memory Dropbox for pipeline tests: stores files by path (case-insensitively), treats identical content at a
/// path as a no-op like Dropbox does, counts uploads, and lets a test script answers per customer or hold uploads open.
/// </summary>
public sealed class FakeUploadTarget : IUploadTarget
{
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.OrdinalIgnoreCase);
    private int _inFlight;
    private int _maxInFlight;
    private long _calls;

    /// <summary>Answers for a customer instead of storing; return null to store normally.</summary>
    public Func<UploadRequest, UploadResult?> Script { get; set; } = _ => null;

    /// <summary>When set, every upload waits for this task before answering.</summary>
    public Task? Gate { get; set; }

    /// <summary>How long every upload takes at least: a slow Dropbox, or a long way to it.</summary>
    public TimeSpan Latency { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public long Calls => Interlocked.Read(ref _calls);

    public IReadOnlyCollection<StoredFile> Files => _files.Values.ToArray();

    public IReadOnlyList<StoredFile> FilesOf(CustomerId customer) => _files.Values.Where(f => f.Customer == customer).ToArray();

    public async Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            if (Gate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            if (Script(request) is { } scripted)
            {
                return scripted;
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await request.Content.Stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                size += read;
            }

            var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            var stored = _files.AddOrUpdate(
                request.Path,
                _ => new StoredFile(request.Customer.Id, request.Path, hash, size, 1),
                (_, existing) => existing with { Uploads = existing.Uploads + 1 });
            if (stored.ContentHash != hash)
            {
                return new UploadResult.Permanent($"a different file already exists at {request.Path}");
            }

            return new UploadResult.Uploaded(new ArchivedFile("id:" + hash[..22], hash[..12], request.Path, hash, size));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while ((current = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }

    public sealed record StoredFile(CustomerId Customer, string Path, string ContentHash, long Size, int Uploads);
}
