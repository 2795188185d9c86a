using System.Net;
using Archiver.Core.Items;

namespace Archiver.Core.Content;

/// <summary>
/// Streams <c>http:</c> and <c>https:</c> sources, but only from the configured hosts. Redirects are followed here,
/// hop by hop, so a redirect to any other host is refused before it is requested; the <see cref="HttpClient"/> given
/// must therefore not follow redirects itself.
/// <para>A source that does not exist or is refused (4xx) is a permanent failure; a 5xx, a timeout or a network
/// error is transient.</para>
/// </summary>
public sealed class HttpContentSource(HttpClient http, IEnumerable<string> allowedHosts) : IContentSource
{
    private const int MaxRedirects = 5;
    private readonly HashSet<string> _allowedHosts = new(allowedHosts, StringComparer.OrdinalIgnoreCase);

    public bool CanOpen(Uri source) => source.IsAbsoluteUri && (source.Scheme == Uri.UriSchemeHttp || source.Scheme == Uri.UriSchemeHttps);

    public async Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var uri = item.Source;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!_allowedHosts.Contains(uri.Host))
            {
                throw new ContentUnavailableException(
                    $"Source host '{uri.Host}' is not an allowed content host (archiver.content.allowed-hosts).", isPermanent: true);
            }

            var response = await GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                response.Dispose();
                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return new ItemContent(new ResponseStream(stream, response), response.Content.Headers.ContentLength);
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            throw status is >= 500 or 408 or 429
                ? new ContentUnavailableException($"Source {uri} answered {status}; will retry.", isPermanent: false)
                : new ContentUnavailableException(
                    status is 404 or 410 ? $"Source {uri} does not exist ({status})." : $"Source {uri} was refused ({status}).", isPermanent: true);
        }

        throw new ContentUnavailableException($"Source {item.Source} redirects more than {MaxRedirects} times.", isPermanent: true);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ContentUnavailableException($"Source {uri} could not be reached: {ex.Message}", isPermanent: false, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ContentUnavailableException($"Source {uri} timed out.", isPermanent: false, ex);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The response body, which releases its response (and connection) when disposed.</summary>
    private sealed class ResponseStream(Stream body, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
