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
        const int InitialHeadBuffer = 512;
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
        public static async Task<HandshakeHead> ReadHeadAsync(Stream stream, byte[] alreadyRead, int maxBytes, CancellationToken cancellationToken)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            // Start small and grow toward maxBytes: real heads are a few hundred bytes, and a simulated network reads
            // three heads per link, so a full-size buffer each time was most of the garbage of building one.
            var reader = new HttpHeadReader(maxBytes, InitialHeadBuffer);
            string text;
            try
            {
                reader.Prefill(alreadyRead);
                text = await reader.ReadHeadAsync(stream, cancellationToken);
            }
            catch (HttpHeadException e)
            {
                throw new GnutellaProtocolException(e.TooLarge ? $"handshake head larger than {maxBytes} bytes" : "the connection closed inside a handshake head");
            }
            if (text == null) throw new GnutellaProtocolException("the connection closed before a handshake");
            var head = Parse(text);
            head.Remainder = reader.TakeBuffered();
            return head;
        }

        /// <summary>Parses head text (start line and header lines, without the final empty line).</summary>
        public static HandshakeHead Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            string start = lines[0].Trim();
            var head = new HandshakeHead { StartLine = start };
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

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string last = null;
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Length == 0) continue;
                if ((line[0] == ' ' || line[0] == '\t') && last != null)
                {
                    headers[last] = headers[last] + " " + line.Trim();   // folded continuation line
                    continue;
                }
                int colon = line.IndexOf(':');
                if (colon <= 0) throw new GnutellaProtocolException($"handshake header line '{Shorten(line)}' has no name");
                string name = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out var previous) ? previous + "," + value : value;
                last = name;
            }
            head.Headers = headers;
            return head;
        }

        /// <summary>"GNUTELLA CONNECT/0.6" with the headers, ending in the empty line.</summary>
        public static byte[] Connect(IDictionary<string, string> headers) => Head(ConnectLine, headers);

        /// <summary>"GNUTELLA/0.6 &lt;status&gt; &lt;reason&gt;" with the headers, ending in the empty line.</summary>
        public static byte[] Response(int status, string reason, IDictionary<string, string> headers)
        {
            if (status < 100 || status > 999) throw new ArgumentOutOfRangeException(nameof(status), "A handshake status has 3 digits.");
            return Head("GNUTELLA/0.6 " + status.ToString(CultureInfo.InvariantCulture) + " " + (reason ?? ""), headers);
        }

        static byte[] Head(string startLine, IDictionary<string, string> headers)
        {
            CheckField(startLine, "reason");
            var sb = new StringBuilder(startLine).Append("\r\n");
            if (headers != null)
            {
                foreach (var pair in headers)
                {
                    CheckField(pair.Key, "header name");
                    CheckField(pair.Value ?? "", "header value");
                    if (pair.Key.Length == 0 || pair.Key.IndexOf(':') >= 0) throw new ArgumentException($"'{pair.Key}' is not a header name.", nameof(headers));
                    sb.Append(pair.Key).Append(": ").Append(pair.Value ?? "").Append("\r\n");
                }
            }
            sb.Append("\r\n");
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        static void CheckField(string text, string what)
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
