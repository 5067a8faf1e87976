using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>A deliberately raw HTTP client: sends exact bytes, reads exact responses, sees when the server closes.</summary>
    sealed class HttpTestClient : IDisposable
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
        readonly TcpClient _tcp;
        NetworkStream _stream;
        readonly MemoryStream _pending = new MemoryStream();

        HttpTestClient(string source, int receiveBuffer)
        {
            // From a chosen loopback address when given, so per-address limits see a host of its own.
            _tcp = source == null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(source), 0));
            if (receiveBuffer > 0) _tcp.ReceiveBufferSize = receiveBuffer;
        }

        /// <param name="source">Local address to connect from (127.x.y.z), or null for the system's choice.</param>
        /// <param name="receiveBuffer">A small socket receive buffer makes a slow reader slow at once (0 = default).</param>
        public static async Task<HttpTestClient> ConnectAsync(string endPoint, string source = null, int receiveBuffer = 0)
        {
            var c = new HttpTestClient(source, receiveBuffer);
            var at = HostPort.Parse(endPoint);
            await c._tcp.ConnectAsync(at.Host, at.Port).WaitAsync(Timeout);
            c._stream = c._tcp.GetStream();
            return c;
        }

        public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));
        public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes, 0, bytes.Length).WaitAsync(Timeout);

        public sealed class Response
        {
            public int Status;
            public Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            public byte[] Body;
        }

        /// <summary>Reads one response; the body by Content-Length (none for HEAD). Null when the server closed first.</summary>
        public async Task<Response> ReadResponseAsync(bool head = false)
        {
            var headBytes = await ReadUntilAsync("\r\n\r\n");
            if (headBytes == null) return null;
            var lines = Encoding.Latin1.GetString(headBytes).Split("\r\n");
            var r = new Response { Status = int.Parse(lines[0].Split(' ')[1]) };
            foreach (var line in lines[1..])
            {
                if (line.Length == 0) continue;
                int colon = line.IndexOf(':');
                r.Headers[line[..colon]] = line[(colon + 1)..].Trim();
            }
            long length = head || !r.Headers.TryGetValue("Content-Length", out var cl) ? 0 : long.Parse(cl);
            r.Body = await ReadExactlyAsync(length);
            return r;
        }

        /// <summary>True when the server closes the connection (read returns 0 or resets) within the timeout.</summary>
        public async Task<bool> IsClosedByServerAsync()
        {
            try
            {
                var buffer = new byte[4096];
                using var cts = new CancellationTokenSource(Timeout);
                while (true)
                {
                    int n = await _stream.ReadAsync(buffer, 0, buffer.Length, cts.Token);
                    if (n == 0) return true;
                }
            }
            catch (IOException) { return true; }
            catch (OperationCanceledException) { return false; }
        }

        async Task<byte[]> ReadUntilAsync(string marker)
        {
            var m = Encoding.ASCII.GetBytes(marker);
            var buffer = new byte[1];
            var acc = new MemoryStream();
            using var cts = new CancellationTokenSource(Timeout);
            while (true)
            {
                int n = await ReadSomeAsync(buffer, 1, cts.Token);
                if (n == 0) return acc.Length == 0 ? null : throw new IOException("closed inside a head");
                acc.WriteByte(buffer[0]);
                if (acc.Length >= m.Length)
                {
                    var a = acc.GetBuffer();
                    bool match = true;
                    for (int i = 0; i < m.Length; i++) if (a[acc.Length - m.Length + i] != m[i]) { match = false; break; }
                    if (match) return acc.ToArray();
                }
            }
        }

        async Task<byte[]> ReadExactlyAsync(long length)
        {
            var result = new byte[length];
            long got = 0;
            using var cts = new CancellationTokenSource(Timeout);
            while (got < length)
            {
                int n = await _stream.ReadAsync(result, (int)got, (int)Math.Min(1 << 20, length - got), cts.Token);
                if (n == 0) throw new IOException($"closed after {got} of {length} body bytes");
                got += n;
            }
            return result;
        }

        Task<int> ReadSomeAsync(byte[] buffer, int count, CancellationToken token) => _stream.ReadAsync(buffer, 0, count, token);

        public void Dispose() => _tcp.Dispose();
    }
}
