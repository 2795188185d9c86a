using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// The account's random faults, applied to an admitted call before its route runs: latency, a share of 503s, and a
/// share of connections aborted after part of the request body was read. None of them lets the call take effect.
/// </summary>
internal static class InjectedFaults
{
    /// <summary>True when the call was answered (or dropped) here.</summary>
    public static async Task<bool> TryInjectAsync(HttpContext context, EmulatorAccount account, TimeProvider time)
    {
        var limits = account.Limits;
        var delay = limits.Latency + (limits.LatencyJitter * Random.Shared.NextDouble());
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, context.RequestAborted).ConfigureAwait(false);
        }

        if (limits.ServerErrorShare > 0 && Random.Shared.NextDouble() < limits.ServerErrorShare)
        {
            account.Counters.ServerErrorInjected();
            await PlainText.SendAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                "<html><body><h1>503 Service Unavailable</h1></body></html>",
                "text/html; charset=utf-8").ConfigureAwait(false);
            return true;
        }

        if (limits.DropShare > 0 && Random.Shared.NextDouble() < limits.DropShare)
        {
            account.Counters.ConnectionDropped();
            await ReadPartOfBodyAsync(context).ConfigureAwait(false);
            context.Abort();
            return true;
        }

        return false;
    }

    private static async Task ReadPartOfBodyAsync(HttpContext context)
    {
        var want = Math.Max(1, (context.Request.ContentLength ?? 2) / 2);
        var reader = context.Request.BodyReader;
        long read = 0;
        while (read < want)
        {
            var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            read += result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }
}
