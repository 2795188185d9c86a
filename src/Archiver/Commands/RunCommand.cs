using System.CommandLine;
using Archiver.Hosting;

namespace Archiver.Commands;

/// <summary><c>archiver run</c>: a node on the configured store, until SIGTERM or Ctrl+C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run an archiving node on the configured store");
        command.SetAction(async (result, ct) =>
        {
            await using var host = NodeHost.BuildNode(CommonOptions.Configuration(result));
            await host.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
