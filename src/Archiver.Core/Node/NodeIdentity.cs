using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Core.Security;

namespace Archiver.Core.Node;

/// <summary>
/// Who a node is, kept in its data directory: <c>node.id</c> holds an id generated on the first start (owner-only),
/// and every later start in that directory is the same node again — it takes its own leases back at once and
/// heartbeats into the same membership row. A configured <see cref="NodeOptions.NodeId"/> wins over the file.
/// <para>
/// While a node runs it holds an exclusive lock on <c>node.id</c>; the operating system drops it when the process
/// ends, however it ends. So an id is never used by two live processes from one directory: a second node started
/// in the same directory is refused instead of believing it owns the first one's customers, and a restart after
/// <c>kill -9</c> knows the previous holder is gone.
/// </para>
/// </summary>
public sealed partial class NodeIdentity : IDisposable
{
    /// <summary>The identity file's name in the data directory.</summary>
    public const string FileName = "node.id";

    private readonly FileStream _lock;

    private NodeIdentity(string id, string file, FileStream held)
    {
        Id = id;
        File = file;
        _lock = held;
    }

    /// <summary>The node's id: configured, or the one in <see cref="File"/>.</summary>
    public string Id { get; }

    /// <summary>The locked identity file.</summary>
    public string File { get; }

    /// <summary>
    /// Locks <c>node.id</c> in <paramref name="dataDirectory"/> (creating both, owner-only, when missing) for as long as
    /// the returned identity lives, and reads the id from it — generating and writing one first if the file is new or
    /// empty. Throws <see cref="StartupRefusedException"/> when another live process holds the file or it holds no id.
    /// </summary>
    public static NodeIdentity Claim(string dataDirectory, string? configuredId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        var file = Path.Combine(directory, FileName);
        PrivateFiles.CreateDirectory(directory);

        FileStream held;
        try
        {
            // FileShare.None is an exclusive lock (flock on Unix) that no other open of the file gets past.
            held = new FileStream(file, PrivateFiles.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new StartupRefusedException(
                $"{file} is locked: another node is running with this data directory; stop it, or give this one a directory of its own.", ex);
        }

        try
        {
            var stored = ReadAll(held).Trim();
            if (stored.Length == 0)
            {
                stored = Generate();
                var bytes = Encoding.UTF8.GetBytes(stored + "\n");
                held.SetLength(0);
                held.Write(bytes);
                held.Flush(flushToDisk: true);
            }
            else if (!ValidId().IsMatch(stored))
            {
                throw new StartupRefusedException(
                    $"{file} does not hold a node id (letters, digits, '.', '_', ':' and '-', at most 100); delete it to have one generated.");
            }

            return new NodeIdentity(string.IsNullOrWhiteSpace(configuredId) ? stored : configuredId, file, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Lets the next process in this directory be this node.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>The host name, for people reading <c>cluster show</c>, and random hex, so two machines never collide.</summary>
    private static string Generate()
    {
        var host = InvalidIdCharacters().Replace(Environment.MachineName, "-");
        if (host.Length > 60)
        {
            host = host[..60];
        }

        return $"{(host.Length == 0 ? "node" : host)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }

    private static string ReadAll(FileStream stream)
    {
        stream.Position = 0;
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var text = reader.ReadToEnd();
        stream.Position = 0;
        return text;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex ValidId();

    [GeneratedRegex("[^A-Za-z0-9._:-]")]
    private static partial Regex InvalidIdCharacters();
}
