using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Reads a whole, small HTTP response body into memory, bounded: by Content-Length, chunked transfer coding, or
    /// until the connection closes. Anything over the bound is refused before it is buffered.
    /// </summary>
    static class HttpBodyReader
    {
        public static async Task<byte[]> ReadAsync(HttpHeadReader reader, Stream stream, HttpHead head, int maxBytes, string source, CancellationToken token)
        {
            string transfer = head["Transfer-Encoding"];
            if (transfer != null)
            {
                if (!string.Equals(transfer.Trim(), "chunked", StringComparison.OrdinalIgnoreCase))
                    throw new PeerException(PeerErrorIds.TrackerFailure, $"{source} answered with Transfer-Encoding '{transfer}', which PSPeer does not read.");
                return await ReadChunkedAsync(reader, stream, maxBytes, source, token);
            }
            string lengthText = head["Content-Length"];
            if (lengthText != null)
            {
                if (head.Repeated.Contains("Content-Length") || !long.TryParse(lengthText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
                    throw new PeerException(PeerErrorIds.TrackerFailure, $"{source} sent a bad Content-Length '{lengthText}'.");
                if (length > maxBytes) throw TooLarge(source, maxBytes);
                var body = new byte[length];
                await FillAsync(reader, stream, body, 0, body.Length, token);
                return body;
            }
            // Delimited by the connection closing.
            using (var all = new MemoryStream())
            {
                var buffer = new byte[16 * 1024];
                while (true)
                {
                    int n = await reader.ReadBodyAsync(stream, buffer, 0, buffer.Length, token);
                    if (n <= 0) return all.ToArray();
                    if (all.Length + n > maxBytes) throw TooLarge(source, maxBytes);
                    all.Write(buffer, 0, n);
                }
            }
        }

        static async Task<byte[]> ReadChunkedAsync(HttpHeadReader reader, Stream stream, int maxBytes, string source, CancellationToken token)
        {
            using (var all = new MemoryStream())
            {
                while (true)
                {
                    string sizeLine = await ReadLineAsync(reader, stream, token);
                    int semicolon = sizeLine.IndexOf(';');
                    if (semicolon >= 0) sizeLine = sizeLine.Substring(0, semicolon);
                    if (!int.TryParse(sizeLine.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
                        throw new PeerException(PeerErrorIds.TrackerFailure, $"{source} sent a bad chunk size.");
                    if (size == 0)
                    {
                        // Trailer fields up to the empty line; then the body is complete.
                        while ((await ReadLineAsync(reader, stream, token)).Length > 0) { }
                        return all.ToArray();
                    }
                    if (all.Length + size > maxBytes) throw TooLarge(source, maxBytes);
                    var chunk = new byte[size];
                    await FillAsync(reader, stream, chunk, 0, size, token);
                    all.Write(chunk, 0, size);
                    if ((await ReadLineAsync(reader, stream, token)).Length != 0)
                        throw new PeerException(PeerErrorIds.TrackerFailure, $"{source} sent a chunk longer than its size.");
                }
            }
        }

        static async Task<string> ReadLineAsync(HttpHeadReader reader, Stream stream, CancellationToken token)
        {
            var sb = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (sb.Length > 1024) throw new IOException("a chunk line longer than 1024 bytes");
                int n = await reader.ReadBodyAsync(stream, one, 0, 1, token);
                if (n <= 0) throw new IOException("the connection closed inside a chunked body");
                if (one[0] == (byte)'\n') return sb.ToString().TrimEnd('\r');
                sb.Append((char)one[0]);
            }
        }

        static async Task FillAsync(HttpHeadReader reader, Stream stream, byte[] buffer, int offset, int count, CancellationToken token)
        {
            while (count > 0)
            {
                int n = await reader.ReadBodyAsync(stream, buffer, offset, count, token);
                if (n <= 0) throw new IOException("the connection closed before the whole answer arrived");
                offset += n;
                count -= n;
            }
        }

        static PeerException TooLarge(string source, int maxBytes) =>
            new PeerException(PeerErrorIds.TrackerFailure, $"{source} sent an answer larger than {maxBytes} bytes; PSPeer does not read it.");
    }
}
