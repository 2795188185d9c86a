using System.Net;
using System.Net.Sockets;

namespace Archiver.Testing;

/// <summary>A loopback port nothing listens on at the moment of asking (another process may still take it).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
