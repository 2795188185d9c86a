using System.Net;
using System.Text;
using Archiver.Dropbox.Emulator.Accounts;
using Archiver.Dropbox.Emulator.Admin;
using Archiver.Dropbox.Emulator.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Dropbox.Emulator;

/// <summary>
/// A loopback Dropbox HTTP API v2 for tests and benchmarks: <c>files/upload</c>, upload sessions
/// (<c>start</c>, <c>append_v2</c>, <c>finish</c>, <c>finish_batch_v2</c>, <c>finish_batch</c> + <c>check</c>),
/// <c>files/get_metadata</c>, <c>files/list_folder(/continue)</c> and the OAuth <c>/oauth2/token</c> refresh grant, with
/// Dropbox's error shapes, conflict rules, per-account rate limits, a per-account namespace write lock and injectable
/// faults (see <see cref="AccountLimits"/>).
/// The API and content routes share one port, so point both of a client's base URIs at <see cref="BaseUri"/>.
/// Files are kept as metadata only.
/// </summary>
public sealed class DropboxEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AccountRegistry _accounts;

    private DropboxEmulator(WebApplication app, AccountRegistry accounts, Uri baseUri)
    {
        _app = app;
        _accounts = accounts;
        BaseUri = baseUri;
    }

    /// <summary>Where the emulator listens, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseUri { get; }

    public static async Task<DropboxEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var accounts = new AccountRegistry(options.TimeProvider);
        var handler = new ApiRequestHandler(
            new AccountGate(accounts), new AdminEndpoints(accounts), new TokenEndpoint(accounts, options), options);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.BindAddress, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // the upload route enforces Dropbox's own limit
            kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1; // let raw non-ASCII through, to refuse it as Dropbox does
        });

        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        address = address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal);
        return new DropboxEmulator(app, accounts, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Adds an account that answers to <paramref name="accessToken"/>; names and tokens must be unique.</summary>
    public EmulatorAccount AddAccount(string name, string accessToken, AccountLimits limits) =>
        _accounts.Add(name, accessToken, limits);

    /// <summary>
    /// Adds an account that answers to <paramref name="accessToken"/> and whose <paramref name="refreshToken"/>
    /// <c>/oauth2/token</c> exchanges for short-lived access tokens; names and tokens must be unique.
    /// </summary>
    public EmulatorAccount AddAccount(string name, string accessToken, string refreshToken, AccountLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        return _accounts.Add(name, accessToken, refreshToken, limits);
    }

    public EmulatorAccount Account(string name) =>
        _accounts.FindByName(name) ?? throw new KeyNotFoundException($"There is no emulated account named '{name}'.");

    /// <summary>The account's files, sorted by lowercase path.</summary>
    public IReadOnlyList<EmulatorFile> Files(string accountName) => Account(accountName).Files();

    public AccountStats Stats(string accountName) => Account(accountName).Stats();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
