using System;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella.Compression
{
    /// <summary>
    /// Gnutella link compression as gtk-gnutella and LimeWire negotiate it in the 0.6 handshake: a side that can
    /// inflate says "Accept-Encoding: deflate"; a side that will compress what it sends says "Content-Encoding: deflate"
    /// (the acceptor in its 200, the initiator in its confirmation). Each direction is decided on its own, and what
    /// follows the handshake in a compressed direction is one zlib stream (RFC 1950) that is sync-flushed after every
    /// batch of messages and never finished.
    /// </summary>
    /// <remarks>
    /// The compressor needs a deflate that really flushes. .NET Framework's DeflateStream.Flush does nothing (Windows
    /// PowerShell 5.1 runs there), so a compressed link would hold messages back until kilobytes piled up. The check is
    /// a probe of the behaviour itself, not of a version string: one byte is compressed and flushed once per process;
    /// where that yields no complete sync-flush block, compression is neither offered nor used.
    /// </remarks>
    public static class LinkCompression
    {
        public const string Deflate = "deflate";
        public const string AcceptEncoding = "Accept-Encoding";
        public const string ContentEncoding = "Content-Encoding";

        static readonly Lazy<bool> FlushWorks = new Lazy<bool>(() => ProbeFlush(output => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)));

        /// <summary>Whether this runtime's DeflateStream can sync-flush, which link compression needs.</summary>
        public static bool IsSupported => FlushWorks.Value;

        /// <summary>Why compression is off on this runtime, or null when it is supported.</summary>
        public static string UnsupportedReason => IsSupported ? null :
            $"link compression is off on {RuntimeInformation.FrameworkDescription}: its DeflateStream.Flush does not flush (Windows PowerShell 5.1 runs on .NET Framework; use PowerShell 7)";

        /// <summary>Whether the compressor <paramref name="deflaterOver"/> makes puts a whole sync-flush block out on Flush.</summary>
        internal static bool ProbeFlush(Func<Stream, Stream> deflaterOver)
        {
            try
            {
                var output = new MemoryStream();
                using (var deflate = deflaterOver(output))
                {
                    deflate.WriteByte((byte)'G');
                    deflate.Flush();
                    var bytes = output.ToArray();
                    // A sync flush ends in an empty stored block: 00 00 FF FF.
                    int n = bytes.Length;
                    return n >= 5 && bytes[n - 4] == 0 && bytes[n - 3] == 0 && bytes[n - 2] == 0xFF && bytes[n - 1] == 0xFF;
                }
            }
            catch (Exception) { return false; }
        }

        /// <summary>The head says its sender can inflate: an Accept-Encoding list with "deflate" in it.</summary>
        public static bool Accepts(HandshakeHead head) => HasToken(Value(head, AcceptEncoding), Deflate);

        /// <summary>The head says its sender will compress what it sends from now on.</summary>
        public static bool Declares(HandshakeHead head) => HasToken(Value(head, ContentEncoding), Deflate);

        /// <summary>A Content-Encoding other than deflate: a stream we could not read. Null when there is none to worry about.</summary>
        public static string UnknownEncoding(HandshakeHead head)
        {
            string value = Value(head, ContentEncoding);
            if (string.IsNullOrWhiteSpace(value) || Declares(head) || string.Equals(value.Trim(), "identity", StringComparison.OrdinalIgnoreCase)) return null;
            return value.Trim();
        }

        static string Value(HandshakeHead head, string name) =>
            head?.Headers != null && head.Headers.TryGetValue(name, out var value) ? value : null;

        static bool HasToken(string list, string token)
        {
            if (string.IsNullOrEmpty(list)) return false;
            foreach (var part in list.Split(','))
            {
                string item = part.Trim();
                int semicolon = item.IndexOf(';');   // "deflate;q=1" as HTTP allows
                if (semicolon >= 0) item = item.Substring(0, semicolon).Trim();
                if (string.Equals(item, token, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }
}
