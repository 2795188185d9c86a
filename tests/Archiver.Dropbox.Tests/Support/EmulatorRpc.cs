using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Archiver.Dropbox.Tests.Support;

/// <summary>
/// Calls the emulator's RPC routes with a bare HttpClient: for checking its answers on the wire, and for the routes
/// Dropbox offers that the archiver's client has no use for.
/// </summary>
public static class EmulatorRpc
{
    public static async Task<HttpResponseMessage> PostAsync(this EmulatorFixture fixture, string route, string accessToken, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Emulator.BaseUri, route))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await fixture.Http.SendAsync(request);
    }

    /// <summary>Calls <paramref name="route"/>, which must answer 200, and returns its JSON answer.</summary>
    public static async Task<JsonDocument> CallAsync(this EmulatorFixture fixture, string route, string accessToken, string json)
    {
        using var response = await fixture.PostAsync(route, accessToken, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>Calls <paramref name="route"/>, which must answer 409, and returns the route error (the answer's <c>error</c>).</summary>
    public static async Task<JsonElement> RouteErrorAsync(this EmulatorFixture fixture, string route, string accessToken, string json)
    {
        using var response = await fixture.PostAsync(route, accessToken, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Conflict, $"{route} answered {(int)response.StatusCode}: {body}");
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.GetProperty("error").Clone();
    }
}
