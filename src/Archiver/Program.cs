using System.CommandLine;
using Archiver.Commands;
using Archiver.Configuration.Hocon;
using Archiver.Core.Node;
using Microsoft.Extensions.Options;
using Spectre.Console;

if (Console.IsOutputRedirected && int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
{
    AnsiConsole.Profile.Width = columns; // tables in a pipe or a log as wide as the caller asked, not 80
}

var root = new RootCommand("Archiver: every call recording, SMS and fax, archived into the customer's Dropbox")
{
    CommonOptions.Config,
    CommonOptions.Set,
    ApiConnectionOptions.Api,
    ApiConnectionOptions.Token,
    ApiConnectionOptions.Json,
};
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(CustomersCommand.Create());
root.Subcommands.Add(EnqueueCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(EventsCommand.Create());
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
foreach (var command in CustomerStateCommands.Create())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(DbCommand.Create());
root.Subcommands.Add(AlertsCommand.Create());

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (StartupRefusedException refused)
{
    // A key, the database file or the data directory cannot be used; the message names it. Nothing has run yet.
    Console.Error.WriteLine($"archiver: {refused.Message}");
    return 2;
}
catch (Exception ex) when (ConfigurationProblem(ex) is { } problem)
{
    // Broken configuration refuses to start, saying which setting is wrong and why; nothing has run yet.
    Console.Error.WriteLine($"archiver: configuration error: {problem}");
    return 2;
}

static string? ConfigurationProblem(Exception ex) => ex switch
{
    OptionsValidationException invalid => string.Join(Environment.NewLine + "  ", invalid.Failures.Prepend("")),
    HoconException hocon => hocon.Message,
    InvalidDataException { InnerException: HoconException hocon } => hocon.Message,
    // A value the binder cannot convert (from an environment variable: the file and --set are checked before binding).
    InvalidOperationException { InnerException: { } cause } convert
        when convert.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => $"{convert.Message} {cause.Message}",
    FileNotFoundException missing => missing.Message,
    ArgumentException bad when bad.Message.StartsWith("--set", StringComparison.Ordinal) => bad.Message,
    _ => null,
};
