using Archiver.Core.Customers;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Models;
using Archiver.Testing;

namespace Archiver.Dropbox.Tests.Support;

/// <summary>An emulator that issues refresh-grant access tokens, on a clock the tests move.</summary>
public sealed class OAuthEmulatorFixture : IAsyncLifetime
{
    public const string AppKey = "test-app-key";
    public const string AppSecret = "test-app-secret";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    private DropboxEmulator? _emulator;

    public ManualTimeProvider Clock { get; } = new();

    public DropboxEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public HttpClient Http { get; } = new();

    public DropboxClient Client { get; private set; } = null!;

    public Uri TokenUri => new(Emulator.BaseUri, "oauth2/token");

    public async Task InitializeAsync()
    {
        _emulator = await DropboxEmulator.StartAsync(
            new EmulatorOptions
            {
                Port = 0,
                TimeProvider = Clock,
                AppKey = AppKey,
                AppSecret = AppSecret,
                AccessTokenLifetime = Lifetime,
            },
            CancellationToken.None);
        Client = new DropboxClient(
            Http,
            new DropboxClientOptions { ApiBaseUri = Emulator.BaseUri, ContentBaseUri = Emulator.BaseUri });
    }

    /// <summary>A fresh account with a unique name, static access token and refresh token.</summary>
    public EmulatorAccount NewAccount()
    {
        var id = Guid.NewGuid().ToString("N");
        return Emulator.AddAccount("account-" + id, "token-" + id, "refresh-" + id, AccountLimits.Unlimited);
    }

    /// <summary>Uploads a small file with <paramref name="accessToken"/> and checks that it landed in <paramref name="account"/>.</summary>
    public async Task AssertUploadsToAsync(EmulatorAccount account, string accessToken)
    {
        var file = await Client.UploadAsync(
            accessToken, new CommitInfo($"/token-check/{Guid.NewGuid():N}.txt"), TestUploads.Bytes("token check"));

        Assert.Contains(account.Files(), f => f.Id == file.Id);
    }

    /// <summary>A token source for the emulated app, on the shared clock.</summary>
    public DropboxTokenSource NewTokenSource(string appSecret = AppSecret, HttpClient? http = null) => new(
        http ?? Http,
        new DropboxTokenSourceOptions
        {
            TokenBaseUri = Emulator.BaseUri,
            AppKey = AppKey,
            AppSecret = new Secret(appSecret),
        },
        Clock);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
