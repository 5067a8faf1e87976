using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The Gnutella 0.6 handshake heads. The initiator sends "GNUTELLA CONNECT/0.6" and headers, the acceptor answers
    /// "GNUTELLA/0.6 200 OK" (or a refusal such as 503) with its headers, and the initiator confirms with a final
    /// "GNUTELLA/0.6 200 OK"; each head ends with an empty line. Reading is bounded; writing refuses CR/LF in fields.
    /// </summary>
    public sealed class GnutellaHandshake
    {
        public const int DefaultMaxHeadBytes = 8 * 1024;
        public const string ConnectLine = "GNUTELLA CONNECT/0.6";
        const string ConnectPrefix = "GNUTELLA CONNECT/";
        const string ResponsePrefix = "GNUTELLA/";

        GnutellaHandshake() { }

        /// <summary>
        /// Reads one head: first from <paramref name="alreadyRead"/> (bytes a sniffer already took from the stream;
        /// may be null), then from the stream, never holding more than <paramref name="maxBytes"/>. Bytes after the
        /// head's empty line come back in <see cref="HandshakeHead.Remainder"/>. Throws
        /// <see cref="GnutellaProtocolException"/> when the head is too large, the stream ends first, or the start line
        /// is not Gnutella 0.6 (or later).
        /// </summary>
        public static Task<HandshakeHead> ReadHeadAsync(Stream stream, byte[] alreadyRead, int maxBytes, CancellationToken cancellationToken) =>
            ReadHeadAsync(stream, alreadyRead == null ? null : (byte[])alreadyRead.Clone(), alreadyRead?.Length ?? 0, 512, maxBytes, cancellationToken);

        /// <summary>
        /// As the public overload, but <paramref name="handedOver"/> (its first <paramref name="handedCount"/> bytes
        /// already read; the rest free) becomes the reader's buffer and, when the head fits in it, the head's own; and a head read from the stream starts in a buffer of
        /// <paramref name="initialBytes"/>: the head keeps the buffer it was read into instead of a copy, so size it for
        /// the head expected (a simulated network reads three heads per link).
        /// </summary>
        internal static async Task<HandshakeHead> ReadHeadAsync(Stream stream, byte[] handedOver, int handedCount, int initialBytes, int maxBytes, CancellationToken cancellationToken)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            HttpHeadReader reader;
            int length;
            try
            {
                reader = new HttpHeadReader(maxBytes, initialBytes, handedOver, handedCount);
                reader.BeginHead();
                while (!reader.TryEndHead(out length))
                    if (!reader.Received(await stream.ReadAsync(reader.ReadBuffer, reader.ReadOffset, reader.ReadCount, cancellationToken)))
                        throw new GnutellaProtocolException("the connection closed before a handshake");
            }
            catch (HttpHeadException e)
            {
                throw new GnutellaProtocolException(e.TooLarge ? $"handshake head larger than {maxBytes} bytes" : "the connection closed inside a handshake head");
            }
            var head = Parse(reader.HeadBytes, length);
            head.Remainder = reader.TakeBuffered();
            return head;
        }

        /// <summary>Parses head text (start line and header lines, without the final empty line).</summary>
        public static HandshakeHead Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++) bytes[i] = text[i] <= 0xFF ? (byte)text[i] : (byte)'?';
            return Parse(bytes, bytes.Length);
        }

        /// <summary>
        /// Parses a head's bytes (start line and header lines, without the final empty line; CRLF or bare LF line ends)
        /// as Latin-1. The head keeps <paramref name="bytes"/>: its header values are read from them when asked for.
        /// </summary>
        public static HandshakeHead Parse(byte[] bytes) => Parse(bytes, bytes?.Length ?? 0);

        /// <summary>As <see cref="Parse(byte[])"/> on bytes[0 .. length); the head keeps the array.</summary>
        public static HandshakeHead Parse(byte[] bytes, int length)
        {
            if (bytes == null) throw new ArgumentNullException(nameof(bytes));
            if (length < 0 || length > bytes.Length) throw new ArgumentOutOfRangeException(nameof(length));
            return Parse(bytes, length, null);
        }

        /// <summary>
        /// As <see cref="Parse(byte[], int)"/> on <paramref name="lender"/>'s bytes[0 .. length): the head is good until
        /// the lender is refilled (reading it later throws), and costs no array of its own.
        /// </summary>
        internal static HandshakeHead ParseLent(HandshakeHeadBuffer lender, int length) => Parse(lender.Bytes, length, lender);

        static HandshakeHead Parse(byte[] bytes, int length, HandshakeHeadBuffer lender)
        {
            int lineEnd = LineEnd(bytes, 0, length, out int next);
            // A lent head given back is made over rather than made anew.
            var spare = lender?.TakeSpare();
            var head = ParseStartLine(bytes, lineEnd, spare);
            int lines = 0;
            for (int i = next; i < length; i++) if (bytes[i] == '\n') lines++;
            var headers = lender == null ? new HandshakeHeaders(bytes, lines + 1)
                : spare != null ? ((HandshakeHeaders)spare.Headers).Refill(lender, lines + 1)
                : new HandshakeHeaders(lender, lines + 1);
            for (int at = next; at < length; at = next)
            {
                lineEnd = LineEnd(bytes, at, length, out next);
                if (lineEnd == at) continue;
                if ((bytes[at] == ' ' || bytes[at] == '\t') && headers.HasFields)
                {
                    Trim(bytes, at, lineEnd, out int s, out int e);
                    headers.ContinueLast(s, e - s);   // folded continuation line
                    continue;
                }
                int colon = Array.IndexOf(bytes, (byte)':', at, lineEnd - at);
                if (colon <= at) throw new GnutellaProtocolException($"handshake header line '{Shorten(Latin1.Text(bytes, at, lineEnd - at))}' has no name");
                Trim(bytes, at, colon, out int nameStart, out int nameEnd);
                Trim(bytes, colon + 1, lineEnd, out int valueStart, out int valueEnd);
                headers.Add(nameStart, nameEnd - nameStart, valueStart, valueEnd - valueStart);
            }
            head.Headers = headers;
            return head;
        }

        // The start lines every PSPeer link sends, parsed once.
        static readonly byte[] ConnectLineBytes = Encoding.ASCII.GetBytes(ConnectLine);
        static readonly byte[] OkLineBytes = Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK");

        // Into a spare head when there is one (every property set anew), else a new one.
        static HandshakeHead ParseStartLine(byte[] bytes, int lineEnd, HandshakeHead into)
        {
            var head = into ?? new HandshakeHead();
            if (Same(bytes, lineEnd, ConnectLineBytes)) return Set(head, ConnectLine, true, "0.6", 0, null);
            if (Same(bytes, lineEnd, OkLineBytes)) return Set(head, OkLine, false, "0.6", 200, "OK");
            return ParseStartLine(Latin1.Text(bytes, 0, lineEnd).Trim(), head);
        }

        static HandshakeHead Set(HandshakeHead head, string startLine, bool isConnect, string version, int status, string reason)
        {
            head.StartLine = startLine;
            head.IsConnect = isConnect;
            head.Version = version;
            head.Status = status;
            head.Reason = reason;
            return head;
        }

        const string OkLine = "GNUTELLA/0.6 200 OK";

        static bool Same(byte[] bytes, int length, byte[] expected)
        {
            if (length != expected.Length) return false;
            for (int i = 0; i < length; i++) if (bytes[i] != expected[i]) return false;
            return true;
        }

        static HandshakeHead ParseStartLine(string start, HandshakeHead head)
        {
            Set(head, start, false, null, 0, null);
            if (start.StartsWith(ConnectPrefix, StringComparison.Ordinal))
            {
                head.IsConnect = true;
                head.Version = start.Substring(ConnectPrefix.Length);
            }
            else if (start.StartsWith(ResponsePrefix, StringComparison.Ordinal))
            {
                int space = start.IndexOf(' ');
                if (space < 0) throw new GnutellaProtocolException($"handshake response line '{Shorten(start)}' has no status");
                head.Version = start.Substring(ResponsePrefix.Length, space - ResponsePrefix.Length);
                string rest = start.Substring(space + 1);
                int space2 = rest.IndexOf(' ');
                string code = space2 < 0 ? rest : rest.Substring(0, space2);
                if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
                    throw new GnutellaProtocolException($"handshake response line '{Shorten(start)}' has no 3-digit status");
                head.Status = status;
                head.Reason = space2 < 0 ? "" : rest.Substring(space2 + 1).Trim();
            }
            else throw new GnutellaProtocolException($"'{Shorten(start)}' is not a Gnutella handshake line");
            if (!IsSupportedVersion(head.Version))
                throw new GnutellaProtocolException($"Gnutella version '{Shorten(head.Version)}' is not supported (0.6 is needed)");
            return head;
        }

        // The end of the line starting at `from` (without its CR LF or LF), and where the next line starts.
        static int LineEnd(byte[] bytes, int from, int length, out int next)
        {
            int lf = Array.IndexOf(bytes, (byte)'\n', from, length - from);
            if (lf < 0) { next = length; return length; }
            next = lf + 1;
            return lf > from && bytes[lf - 1] == '\r' ? lf - 1 : lf;
        }

        // string.Trim's white space, for Latin-1 characters.
        static void Trim(byte[] bytes, int start, int end, out int trimmedStart, out int trimmedEnd)
        {
            while (start < end && char.IsWhiteSpace((char)bytes[start])) start++;
            while (end > start && char.IsWhiteSpace((char)bytes[end - 1])) end--;
            trimmedStart = start;
            trimmedEnd = end;
        }

        /// <summary>"GNUTELLA CONNECT/0.6" with the headers, ending in the empty line.</summary>
        public static byte[] Connect(IDictionary<string, string> headers) => Head(ConnectLine, headers);

        /// <summary>"GNUTELLA/0.6 &lt;status&gt; &lt;reason&gt;" with the headers, ending in the empty line.</summary>
        public static byte[] Response(int status, string reason, IDictionary<string, string> headers)
        {
            if (status < 100 || status > 999) throw new ArgumentOutOfRangeException(nameof(status), "A handshake status has 3 digits.");
            return Head(StatusLine(status, reason), headers);
        }

        /// <summary>The start line of a response, checked: no CR or LF in the reason.</summary>
        public static string StatusLine(int status, string reason)
        {
            if (status < 100 || status > 999) throw new ArgumentOutOfRangeException(nameof(status), "A handshake status has 3 digits.");
            if (status == 200 && reason == "OK") return OkLine;
            return "GNUTELLA/0.6 " + status.ToString(CultureInfo.InvariantCulture) + " " + (reason ?? "");
        }

        static byte[] Head(string startLine, IDictionary<string, string> headers)
        {
            var writer = HandshakeHeadWriter.Start(startLine);
            if (headers != null) foreach (var pair in headers) writer.Header(pair.Key, pair.Value);
            return writer.Finish();
        }

        internal static void CheckHeader(string name, string value)
        {
            CheckField(name, "header name");
            CheckField(value ?? "", "header value");
            if (name.Length == 0 || name.IndexOf(':') >= 0) throw new ArgumentException($"'{name}' is not a header name.", "headers");
        }

        internal static void CheckField(string text, string what)
        {
            if (text.IndexOf('\r') >= 0 || text.IndexOf('\n') >= 0)
                throw new ArgumentException($"A handshake {what} cannot contain CR or LF.");
        }

        static bool IsSupportedVersion(string version)
        {
            int dot = version.IndexOf('.');
            if (dot <= 0 || dot == version.Length - 1) return false;
            if (!int.TryParse(version.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int major)) return false;
            if (!int.TryParse(version.Substring(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int minor)) return false;
            return major > 0 || minor >= 6;
        }

        static string Shorten(string s) => s.Length <= 60 ? s : s.Substring(0, 60) + "...";
    }
}
