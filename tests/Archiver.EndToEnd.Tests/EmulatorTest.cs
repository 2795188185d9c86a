using Archiver.Dropbox.Emulator;

namespace Archiver.EndToEnd.Tests;

/// <summary>A test with its own Dropbox emulator on 127.0.0.1 and its own working directory, both gone afterwards.</summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    protected string Work { get; } = Directory.CreateTempSubdirectory("archiver-e2e-").FullName;

    protected DropboxEmulator Emulator { get; private set; } = null!;

    /// <summary>How this test's emulator runs; override for e.g. short-lived access tokens.</summary>
    protected virtual EmulatorOptions EmulatorOptions => new();

    public async Task InitializeAsync() => Emulator = await DropboxEmulator.StartAsync(EmulatorOptions, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
