using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Core.Customers;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Http;
using Archiver.Dropbox.Json;

namespace Archiver.Dropbox.Auth;

/// <summary>
/// Short-lived Dropbox access tokens obtained from customers' offline refresh tokens (<c>POST oauth2/token</c>,
/// <c>grant_type=refresh_token</c>). Tokens are cached in memory only, per refresh token, and replaced
/// <see cref="DropboxTokenSourceOptions.RefreshMargin"/> before they expire; concurrent callers for one refresh token
/// share a single refresh. Thread-safe. Neither tokens nor the app secret ever appear in an exception message.
/// </summary>
public sealed class DropboxTokenSource
{
    private readonly HttpClient _http;
    private readonly DropboxTokenSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _tokenUri;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public DropboxTokenSource(HttpClient http, DropboxTokenSourceOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AppKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RefreshMargin, TimeSpan.Zero);
        _http = http;
        _options = options;
        _time = timeProvider;
        _tokenUri = new Uri(options.TokenBaseUri, "oauth2/token");
    }

    /// <summary>
    /// An access token for the account of <paramref name="refreshToken"/>: the cached one while it has more than the
    /// refresh margin left, otherwise a new one from Dropbox.
    /// </summary>
    /// <exception cref="DropboxAuthException">
    /// <see cref="AuthErrorKind.InvalidAccessToken"/>: Dropbox answered <c>invalid_grant</c>, the refresh token is
    /// invalid or revoked and the customer must connect again. <see cref="AuthErrorKind.InvalidApp"/>: Dropbox answered
    /// <c>invalid_client</c>, the configured app key or secret is wrong.
    /// </exception>
    /// <exception cref="DropboxException">Any other failure to obtain a token (transport, 5xx).</exception>
    public async ValueTask<string> GetAccessTokenAsync(Secret refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken.Reveal, nameof(refreshToken));
        var entry = _entries.GetOrAdd(KeyOf(refreshToken), static _ => new Entry());
        if (Usable(entry.Current) is { } cached)
        {
            return cached;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (Usable(entry.Current) is { } refreshed)
            {
                return refreshed;
            }

            entry.Current = null;
            var issued = await RefreshAsync(refreshToken.Reveal, cancellationToken).ConfigureAwait(false);
            entry.Current = issued;
            return issued.AccessToken;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="accessToken"/> (Dropbox answered <c>expired_access_token</c> for it), so the next
    /// <see cref="GetAccessTokenAsync"/> refreshes. Does nothing if the cache already holds a different token, so
    /// many callers failing with the same stale token cause one refresh, not many.
    /// </summary>
    public void Invalidate(Secret refreshToken, string accessToken)
    {
        if (string.IsNullOrEmpty(refreshToken.Reveal) || !_entries.TryGetValue(KeyOf(refreshToken), out var entry))
        {
            return;
        }

        var current = entry.Current;
        if (current is not null && string.Equals(current.AccessToken, accessToken, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref entry.CurrentField, null, current);
        }
    }

    /// <summary>The cache key: a hash, so the refresh token itself is not kept as a dictionary key.</summary>
    private static string KeyOf(Secret refreshToken) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken.Reveal)));

    private string? Usable(CachedToken? token) =>
        token is not null && _time.GetUtcNow() + _options.RefreshMargin < token.ExpiresAt ? token.AccessToken : null;

    private async Task<CachedToken> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(4)
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", _options.AppKey),
        };
        if (_options.AppSecret is { } secret)
        {
            fields.Add(new("client_secret", secret.Reveal));
        }

        using var body = new FormUrlEncodedContent(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri) { Content = body };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var requestedAt = _time.GetUtcNow();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, refreshToken, timeout.Token).ConfigureAwait(false);
            }

            var answer = await ReadAsync(response, DropboxJsonContext.Default.TokenResponse, timeout.Token).ConfigureAwait(false);
            if (answer is null || string.IsNullOrWhiteSpace(answer.AccessToken))
            {
                throw new DropboxUnexpectedResponseException(
                    response.StatusCode,
                    "Dropbox's token answer held no access token.",
                    DropboxErrorReader.RequestIdOf(response),
                    errorSummary: null);
            }

            // Without a known lifetime the token counts as already due, so it is refreshed on next use (as the SDKs do).
            var expiresAt = answer.ExpiresIn is { } seconds && seconds > 0
                ? requestedAt + TimeSpan.FromSeconds(seconds)
                : requestedAt;
            return new CachedToken(answer.AccessToken, expiresAt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new DropboxTransportException($"Dropbox did not answer oauth2/token within {_options.RequestTimeout}.", e);
        }
        catch (HttpRequestException e)
        {
            throw new DropboxTransportException($"Could not reach Dropbox for oauth2/token: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DropboxTransportException($"The connection to Dropbox broke during oauth2/token: {e.Message}", e);
        }
    }

    private async Task<DropboxException> FailureAsync(
        HttpResponseMessage response, string refreshToken, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is not (400 or 401))
        {
            return await DropboxErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false); // 429, 5xx, …
        }

        var requestId = DropboxErrorReader.RequestIdOf(response);
        var error = await ReadAsync(response, DropboxJsonContext.Default.OAuthErrorResponse, cancellationToken).ConfigureAwait(false);
        var code = Scrub(error?.Error, refreshToken) ?? "unknown_error";
        var description = Scrub(error?.ErrorDescription, refreshToken);
        var summary = description is null ? code : $"{code}: {description}";
        if (code == "invalid_grant")
        {
            return new DropboxAuthException(AuthErrorKind.InvalidAccessToken, requiredScope: null, requestId, summary);
        }

        if (code == "invalid_client")
        {
            return new DropboxAuthException(AuthErrorKind.InvalidApp, requiredScope: null, requestId, summary);
        }

        return new DropboxUnexpectedResponseException(response.StatusCode, $"Dropbox refused the token request ({summary}).", requestId, summary);
    }

    private static async Task<T?> ReadAsync<T>(
        HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException) when (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new DropboxUnexpectedResponseException(
                response.StatusCode,
                $"Dropbox's token answer could not be read: {e.Message}",
                DropboxErrorReader.RequestIdOf(response),
                errorSummary: null,
                e);
        }
    }

    /// <summary>Text from Dropbox, bounded and with the refresh token masked should it ever be echoed.</summary>
    private static string? Scrub(string? text, string refreshToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Replace(refreshToken, "***", StringComparison.Ordinal);
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt);

    private sealed class Entry
    {
        public CachedToken? CurrentField;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CachedToken? Current
        {
            get => Volatile.Read(ref CurrentField);
            set => Volatile.Write(ref CurrentField, value);
        }
    }
}
