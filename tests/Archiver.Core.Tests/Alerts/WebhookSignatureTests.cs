using Archiver.Core.Alerts;
using CsCheck;

namespace Archiver.Core.Tests.Alerts;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void Signature_VerifiesWithItsSecret_AndFailsWithAnyOther()
    {
        Gen.Select(Gen.String[1, 40], Gen.String[1, 40], Gen.String[0, 400]).Sample((secret, other, body) =>
        {
            var header = WebhookSignature.Sign(secret, Now, body);

            Assert.True(WebhookSignature.Verify(header, secret, body, Now, Tolerance));
            Assert.Equal(secret == other, WebhookSignature.Verify(header, other, body, Now, Tolerance));
        });
    }

    [Fact]
    public void Signature_FailsForAnotherBody()
    {
        Gen.Select(Gen.String[1, 40], Gen.String[0, 200], Gen.String[0, 200]).Sample((secret, body, tampered) =>
            Assert.Equal(body == tampered, WebhookSignature.Verify(WebhookSignature.Sign(secret, Now, body), secret, tampered, Now, Tolerance)));
    }

    [Fact]
    public void Signature_IsRefusedOutsideTheTolerance_SoAnOldDeliveryCannotBeReplayed()
    {
        var header = WebhookSignature.Sign("s3cret", Now, "{}");

        Assert.True(WebhookSignature.Verify(header, "s3cret", "{}", Now.AddMinutes(4), Tolerance));
        Assert.False(WebhookSignature.Verify(header, "s3cret", "{}", Now.AddMinutes(6), Tolerance));
        Assert.False(WebhookSignature.Verify(header.Replace("t=", "t=1", StringComparison.Ordinal), "s3cret", "{}", Now, Tolerance));
    }

    [Fact]
    public void Header_HasTheDocumentedShape()
    {
        var header = WebhookSignature.Sign("s3cret", Now, "{\"kind\":\"test\"}");

        Assert.Matches(@"^t=\d+,v1=[0-9a-f]{64}$", header);
        Assert.StartsWith($"t={Now.ToUnixTimeSeconds()},", header, StringComparison.Ordinal);
        Assert.False(WebhookSignature.Verify("garbage", "s3cret", "{}", Now, Tolerance));
        Assert.False(WebhookSignature.Verify(null, "s3cret", "{}", Now, Tolerance));
    }
}
