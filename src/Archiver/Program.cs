using System.CommandLine;
using Archiver.App.Commands;

var root = new RootCommand("Archiver: every call recording, SMS and fax, archived into the customer's Dropbox")
{
    CommonOptions.Config,
    CommonOptions.Set,
};
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(CustomersCommand.Create());
root.Subcommands.Add(EnqueueCommand.Create());
root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(DbCommand.Create());
return await root.Parse(args).InvokeAsync();
