using System.Threading.Channels;

namespace Archiver.Pipeline;

/// <summary>What the pipeline's stages share.</summary>
internal static class Stages
{
    /// <summary>
    /// Hands <paramref name="value"/> to the next stage. The channels are sized to the demand credits, so there is always
    /// room; a full or completed channel here is a bug that must not lose the item silently.
    /// </summary>
    public static void Write<T>(ChannelWriter<T> output, T value)
    {
        if (!output.TryWrite(value))
        {
            throw new InvalidOperationException($"The next stage refused {value}: more items in the pipeline than demand credits.");
        }
    }
}
