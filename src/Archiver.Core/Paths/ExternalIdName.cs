using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Archiver.Core.Paths;

/// <summary>
/// What an item's external id becomes in its Dropbox path. A plain id — printable ASCII without capitals, without
/// what sanitising would change, without <c>~</c>, at most <see cref="MaxLength"/> characters — is used as it is
/// (<c>call-42</c>). Any other id becomes its sanitised spelling, cut to leave room, plus <c>~</c> and
/// <see cref="SuffixLength"/> lowercase base32 characters: the first 130 bits of the SHA-256 of its exact spelling
/// (<c>CALL-1~5snvmvjkol5xpdccx2462hjzad</c>). So two distinct ids never render alike, not even ignoring case: two plain
/// ones differ in ASCII letters that are all lowercase, a plain one has no <c>~</c> where a suffixed one has it
/// <see cref="SuffixLength"/> characters from its end, and two suffixed ones differ in their hashes.
/// </summary>
internal static class ExternalIdName
{
    /// <summary>The most characters an id renders to, suffix included.</summary>
    public const int MaxLength = 128;

    public const int SuffixLength = 26;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Of(string externalId) =>
        IsPlain(externalId)
            ? externalId
            : PathText.Cut(PathText.Sanitize(externalId), MaxLength - 1 - SuffixLength) + "~" + Suffix(externalId);

    private static bool IsPlain(string id) =>
        id.Length is > 0 and <= MaxLength
        && id[^1] is not ('.' or ' ')
        && id.All(c => c is >= ' ' and <= '~' and not (>= 'A' and <= 'Z') and not ('/' or '\\' or '<' or '>' or ':' or '"' or '|' or '?' or '*' or '~'));

    /// <summary>SHA-256 over the id's UTF-16LE code units (exact, even for unpaired surrogates), first 130 bits as base32.</summary>
    private static string Suffix(string id)
    {
        var units = new byte[id.Length * 2];
        for (var i = 0; i < id.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(units.AsSpan(i * 2), id[i]);
        }

        var hash = SHA256.HashData(units);
        return string.Create(SuffixLength, hash, static (chars, hash) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                var bit = i * 5;
                var window = (hash[bit / 8] << 8) | hash[(bit / 8) + 1];
                chars[i] = Base32[(window >> (11 - (bit % 8))) & 31];
            }
        });
    }
}
