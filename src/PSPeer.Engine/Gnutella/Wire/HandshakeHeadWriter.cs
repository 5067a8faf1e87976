using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Writes one handshake head as bytes: a start line, "Name: value" lines (UTF-8), the empty line. One scratch
    /// buffer per thread, so a head costs only its own byte array; a writer is used in one go, never across an await,
    /// and ends with <see cref="Finish"/>, <see cref="Bytes"/> or a refused field.
    /// Fields are checked as <see cref="GnutellaHandshake.Connect"/> always did: no CR or LF, a header name without ':'.
    /// </summary>
    internal sealed class HandshakeHeadWriter
    {
        [ThreadStatic] static HandshakeHeadWriter _current;
        static readonly byte[] Separator = { (byte)':', (byte)' ' };
        static readonly byte[] LineEnd = { (byte)'\r', (byte)'\n' };

        byte[] _buffer = new byte[1024];
        int _length;

        HandshakeHeadWriter() { }

        /// <summary>This thread's writer, emptied, with <paramref name="startLine"/> written.</summary>
        public static HandshakeHeadWriter Start(string startLine)
        {
            GnutellaHandshake.CheckField(startLine, "reason");
            return Take().Text(startLine).Raw(LineEnd);
        }

        // This thread's writer, or a new one while it is in use (a static initializer that writes a head while another
        // head is half written on the same thread must not empty it).
        static HandshakeHeadWriter Take()
        {
            var writer = _current;
            if (writer == null) _current = writer = new HandshakeHeadWriter();
            else if (writer._inUse) writer = new HandshakeHeadWriter();
            writer._length = 0;
            writer._inUse = true;
            return writer;
        }

        bool _inUse;

        /// <summary>One "Name: value" line.</summary>
        public HandshakeHeadWriter Header(string name, string value)
        {
            try { GnutellaHandshake.CheckHeader(name, value); }
            catch (ArgumentException) { _inUse = false; throw; }   // the head is abandoned: the writer is free again
            return Text(name).Raw(Separator).Text(value ?? "").Raw(LineEnd);
        }

        /// <summary>"Name: host:port" ("[host]:port" for IPv6), as <see cref="HostPort.ToString"/> writes it, without the string.</summary>
        public HandshakeHeadWriter Header(string name, HostPort value)
        {
            uint address = value.Ipv4Address;
            try { GnutellaHandshake.CheckHeader(name, address != 0 ? "" : value.Host); }   // a literal has no CR or LF
            catch (ArgumentException) { _inUse = false; throw; }
            Text(name).Raw(Separator);
            return (address != 0 ? Ipv4EndpointValue(address, value.Port) : EndpointText(value)).Raw(LineEnd);
        }

        /// <summary>
        /// "Name: value" lines (names and values in turn) checked and encoded once, for <see cref="Header(HandshakeHeadLines)"/>;
        /// throws as <see cref="Header(string, string)"/> would.
        /// </summary>
        public static HandshakeHeadLines Prepare(params string[] namesAndValues)
        {
            if (namesAndValues.Length % 2 != 0) throw new ArgumentException("Header names and values come in pairs.", nameof(namesAndValues));
            var writer = new HandshakeHeadWriter();   // its own: never this thread's, which may be half way through a head
            for (int i = 0; i + 1 < namesAndValues.Length; i += 2) writer.Header(namesAndValues[i], namesAndValues[i + 1]);
            return new HandshakeHeadLines(writer.Bytes());
        }

        /// <summary>Lines made by <see cref="Prepare"/>, as they are.</summary>
        public HandshakeHeadWriter Header(HandshakeHeadLines lines) => Raw(lines.Bytes);

        // A header whose value is written in parts (a list of endpoints): BeginHeader, values and commas, EndHeader.

        /// <summary>"Name: ", the start of a header whose value follows in parts.</summary>
        public HandshakeHeadWriter BeginHeader(string name)
        {
            try { GnutellaHandshake.CheckHeader(name, ""); }
            catch (ArgumentException) { _inUse = false; throw; }
            return Text(name).Raw(Separator);
        }

        /// <summary>One endpoint of a header's value, as <see cref="HostPort.ToString"/> writes it.</summary>
        public HandshakeHeadWriter HostPortValue(HostPort value)
        {
            try { GnutellaHandshake.CheckField(value.Host, "header value"); }
            catch (ArgumentException) { _inUse = false; throw; }
            return EndpointText(value);
        }

        /// <summary>
        /// One endpoint of a header's value whose host is the IPv4 literal of <paramref name="address"/> (see
        /// <see cref="Ipv4Literal"/>): what <see cref="HostPortValue"/> writes for that host, from the numbers.
        /// </summary>
        public HandshakeHeadWriter Ipv4EndpointValue(uint address, int port)
        {
            Reserve(Ipv4Literal.MaxLength);
            _length += Ipv4Literal.Write(address, _buffer, _length);
            return Raw(Colon).Number(port);
        }

        public HandshakeHeadWriter Comma() => Raw(CommaByte);

        /// <summary>Ends a header begun with <see cref="BeginHeader"/>.</summary>
        public HandshakeHeadWriter EndHeader() => Raw(LineEnd);

        HandshakeHeadWriter EndpointText(HostPort value)
        {
            bool v6 = value.Host.IndexOf(':') >= 0;
            if (v6) Raw(OpenBracket);
            Text(value.Host);
            if (v6) Raw(CloseBracket);
            return Raw(Colon).Number(value.Port);
        }

        static readonly byte[] CommaByte = { (byte)',' };

        /// <summary>"Name: 123" (invariant digits), without the string.</summary>
        public HandshakeHeadWriter Header(string name, int value)
        {
            try { GnutellaHandshake.CheckHeader(name, ""); }
            catch (ArgumentException) { _inUse = false; throw; }
            return Text(name).Raw(Separator).Number(value).Raw(LineEnd);
        }

        static readonly byte[] OpenBracket = { (byte)'[' }, CloseBracket = { (byte)']' }, Colon = { (byte)':' };

        HandshakeHeadWriter Number(int value)
        {
            if (value < 0) { Raw(Minus); value = -value; }
            int digits = 1;
            for (int v = value; v >= 10; v /= 10) digits++;
            Reserve(digits);
            for (int i = digits - 1; i >= 0; i--, value /= 10) _buffer[_length + i] = (byte)('0' + value % 10);
            _length += digits;
            return this;
        }

        static readonly byte[] Minus = { (byte)'-' };

        HandshakeHeadWriter Raw(byte[] bytes)
        {
            Reserve(bytes.Length);
            Buffer.BlockCopy(bytes, 0, _buffer, _length, bytes.Length);
            _length += bytes.Length;
            return this;
        }

        /// <summary>What was written, as is.</summary>
        public byte[] Bytes()
        {
            var bytes = new byte[_length];
            Buffer.BlockCopy(_buffer, 0, bytes, 0, _length);
            _inUse = false;
            return bytes;
        }

        /// <summary>The head, ending in its empty line.</summary>
        public byte[] Finish()
        {
            Raw(LineEnd);
            return Bytes();
        }

        /// <summary>
        /// Ends the head and writes it to <paramref name="stream"/> straight from this writer's buffer, with no array of
        /// its own. The stream reads the buffer until the write completes: a write that completes at once (a simulated
        /// stream copies as it is called) frees the writer at once; one that waits keeps it to itself, and this thread
        /// writes its next head with a new writer.
        /// </summary>
        public Task FinishTo(Stream stream, CancellationToken cancellationToken)
        {
            Raw(LineEnd);
            Task write;
            try { write = stream.WriteAsync(_buffer, 0, _length, cancellationToken); }
            catch (Exception) { _inUse = false; throw; }
            if (write.IsCompleted) _inUse = false;
            else if (_current == this) _current = null;
            return write;
        }

        HandshakeHeadWriter Text(string text)
        {
            bool ascii = true;
            foreach (char c in text) if (c >= 0x80) { ascii = false; break; }
            if (ascii)
            {
                Reserve(text.Length);
                for (int i = 0; i < text.Length; i++) _buffer[_length + i] = (byte)text[i];
                _length += text.Length;
            }
            else
            {
                Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
                _length += Encoding.UTF8.GetBytes(text, 0, text.Length, _buffer, _length);
            }
            return this;
        }

        void Reserve(int more)
        {
            if (_length + more <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
