namespace Archiver.Dropbox.Tests.Support;

/// <summary>Answers every request with a response made by <paramref name="respond"/>, after reading the request body.</summary>
public sealed class CannedResponseHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        return respond();
    }
}
