using System.Net.Http.Headers;
using System.Text.Json;

namespace Archiver.Api.Tests;

public sealed class RequestBodyLimitTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("POST", "/api/v1/items/bulk")]
    [InlineData("POST", "/api/v1/items")]
    [InlineData("POST", "/api/v1/customers")]
    [InlineData("PATCH", "/api/v1/customers/acme")]
    public async Task BodyOverTheLimit_WithAValidToken_Is413ProblemNamingTheLimit(string method, string path)
    {
        await _node.AddCustomerAsync("acme");
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = new ByteArrayContent(new byte[30_000_001]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _node.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == 413, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("30,000,000 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkBodyOverTheLimit_SentInChunks_Is413Too()
    {
        await _node.AddCustomerAsync("acme");
        var line = System.Text.Encoding.UTF8.GetBytes(new string(' ', 9_999) + "\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/items/bulk", UriKind.Relative))
        {
            Content = new StreamContent(new RepeatingStream(line, 3_100)), // no Content-Length: chunked
        };

        using var response = await _node.Client.SendAsync(request);

        Assert.Equal(413, (int)response.StatusCode);
    }

    /// <summary>A body of one block repeated, of unknown length, read without holding it whole.</summary>
    private sealed class RepeatingStream(byte[] block, int times) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var total = (long)block.Length * times;
            var n = (int)Math.Min(count, total - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = block[(_position + i) % block.Length];
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
