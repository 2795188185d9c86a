using System.Globalization;
using System.Text;
using Archiver.Core.Items;

namespace Archiver.Demo;

/// <summary>Small but genuine payloads for the demo: playable WAV recordings, SMS transcripts and one-page PDF faxes.</summary>
internal static class DemoContent
{
    public static byte[] For(ItemKind kind, int index, string from, string to, DateTimeOffset at) => kind switch
    {
        ItemKind.CallRecording or ItemKind.Voicemail => Wav(seconds: 1 + (index % 3), frequency: 300 + (index % 7 * 60)),
        ItemKind.Sms => Encoding.UTF8.GetBytes(
            $"From: {from}\nTo: {to}\nDate: {at:u}\n\nHi, this is message {index}. Can we move our call to {10 + (index % 8)}:00 tomorrow?\n"),
        ItemKind.Fax => Pdf($"FAX {index} from {from} to {to}, received {at:u}"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>8 kHz, 8-bit mono PCM: a tone, as a phone line would record it.</summary>
    private static byte[] Wav(int seconds, int frequency)
    {
        const int sampleRate = 8000;
        var samples = sampleRate * seconds;
        using var stream = new MemoryStream(44 + samples);
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(sampleRate);
        writer.Write(sampleRate); // bytes per second
        writer.Write((short)1); // block align
        writer.Write((short)8); // bits per sample
        writer.Write("data"u8);
        writer.Write(samples);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((byte)(128 + (100 * Math.Sin(2 * Math.PI * frequency * i / sampleRate))));
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>A valid one-page PDF showing one line of text.</summary>
    private static byte[] Pdf(string text)
    {
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);
        var stream = $"BT /F1 14 Tf 72 720 Td ({escaped}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
