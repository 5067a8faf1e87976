using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>
    /// A hostile tracker client for lockout tests: many announces over one kept-alive HTTP connection, each with its own
    /// made-up peer id and port, as fast as the tracker answers. Bounded: it sends exactly the announces it is given.
    /// </summary>
    sealed class TrackerFlooder : IDisposable
    {
        readonly IConnection _connection;
        readonly string _authority;
        readonly HttpHeadReader _reader = new HttpHeadReader(16 * 1024);

        TrackerFlooder(IConnection connection, string authority)
        {
            _connection = connection;
            _authority = authority;
        }

        public int Sent { get; private set; }
        /// <summary>Answers that carried a bencoded "failure reason" (refused by the tracker).</summary>
        public int Refused { get; private set; }
        public string LastFailure { get; private set; }

        public static async Task<TrackerFlooder> ConnectAsync(ITransport transport, HostPort tracker) =>
            new TrackerFlooder(await transport.ConnectAsync(tracker.Host, tracker.Port), tracker.ToString());

        /// <summary>Floods over a connection the caller opened (a live one bound to its own source address).</summary>
        public static TrackerFlooder Over(IConnection connection, HostPort tracker) => new TrackerFlooder(connection, tracker.ToString());

        /// <summary>Announces <paramref name="count"/> fake peers; <paramref name="make"/> builds the i-th request.</summary>
        public async Task FloodAsync(int count, Func<int, AnnounceRequest> make)
        {
            var stream = _connection.Stream;
            for (int i = 0; i < count; i++)
            {
                string request = "GET /announce?" + TrackerClient.AnnounceParameters(make(i)) + " HTTP/1.1\r\nHost: " + _authority + "\r\n\r\n";
                var bytes = Encoding.ASCII.GetBytes(request);
                await stream.WriteAsync(bytes, 0, bytes.Length);
                await stream.FlushAsync();
                Sent++;
                string headText = await _reader.ReadHeadAsync(stream, CancellationToken.None);
                if (headText == null) throw new IOException("the tracker closed the flooding connection");
                var head = HttpHead.ParseResponse(headText, out var error) ?? throw new IOException(error);
                var body = await HttpBodyReader.ReadAsync(_reader, stream, head, 1 << 20, _authority, CancellationToken.None);
                string text = Encoding.Latin1.GetString(body);
                int at = text.IndexOf("failure reason", StringComparison.Ordinal);
                if (at >= 0)
                {
                    Refused++;
                    LastFailure = text.Substring(at);
                }
            }
        }

        public void Dispose() => _connection.Dispose();

        /// <summary>A fake peer id that differs in its last bytes for every <paramref name="n"/>.</summary>
        public static byte[] FakeId(int attacker, int n)
        {
            var id = Encoding.ASCII.GetBytes("-EV0001-" + attacker.ToString("D2") + n.ToString("D10"));
            return id;
        }

        /// <summary>A made-up info-hash, distinct from <see cref="TrackerWorld.Hash"/>'s small numbers.</summary>
        public static InfoHash FakeHash(int attacker, int n)
        {
            var bytes = new byte[20];
            bytes[0] = 0xEE;
            bytes[1] = (byte)attacker;
            BitConverter.GetBytes(n).CopyTo(bytes, 2);
            return new InfoHash(bytes);
        }
    }
}
