using Archiver.Dropbox.Emulator;

namespace Archiver.Dropbox.Tests.Support;

/// <summary>One emulator on a free loopback port per test class; each test makes its own account.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private DropboxEmulator? _emulator;

    public DropboxEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public HttpClient Http { get; } = new();

    public DropboxClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _emulator = await DropboxEmulator.StartAsync(new EmulatorOptions { Port = 0 }, CancellationToken.None);
        Client = new DropboxClient(
            Http,
            new DropboxClientOptions { ApiBaseUri = Emulator.BaseUri, ContentBaseUri = Emulator.BaseUri });
    }

    /// <summary>A fresh account with a unique name and token.</summary>
    public EmulatorAccount NewAccount(AccountLimits? limits = null)
    {
        var id = Guid.NewGuid().ToString("N");
        return Emulator.AddAccount("account-" + id, "token-" + id, limits ?? AccountLimits.Unlimited);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
