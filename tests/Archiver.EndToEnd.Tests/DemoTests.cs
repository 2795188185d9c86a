using Archiver.Demo;
using Spectre.Console;

namespace Archiver.EndToEnd.Tests;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_ArchivesEveryItemExactlyOnceAndExitsZero()
    {
        var work = Directory.CreateTempSubdirectory("archiver-demo-test-").FullName;
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        try
        {
            var exitCode = await new DemoRunner(itemsPerCustomer: 40, work, console).RunAsync(CancellationToken.None);

            Assert.True(exitCode == 0, output.ToString());
            Assert.Contains("Every item is in Dropbox exactly once.", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
