using System.CommandLine;

namespace Archiver.Commands;

/// <summary>Options of every command that talks to a running node through its admin API.</summary>
internal static class ApiConnectionOptions
{
    public static readonly Option<string?> Api = new("--api")
    {
        Description = "The node's API address, e.g. http://127.0.0.1:8780 (default: from the configuration and the node's endpoint file)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The node's API token (default: archiver.api.token, or the token file the node generated)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the API's JSON answer instead of a table",
        Recursive = true,
    };
}
