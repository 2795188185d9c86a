namespace Archiver.EndToEnd.Tests;

/// <summary>The batch commit settings are validated when the node starts.</summary>
public sealed class BatchSettingsTests : EmulatorTest
{
    [Theory]
    [InlineData("archiver.dropbox.batch-max-entries=0", "archiver.dropbox.batch-max-entries = 0")]
    [InlineData("archiver.dropbox.batch-max-entries=1001", "archiver.dropbox.batch-max-entries = 1001")]
    [InlineData("archiver.dropbox.batch-max-wait=2m", "archiver.dropbox.batch-max-wait")]
    public async Task Run_WithABatchSettingOutOfRange_RefusesToStartNamingTheSetting(string setting, string expected)
    {
        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration error", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
