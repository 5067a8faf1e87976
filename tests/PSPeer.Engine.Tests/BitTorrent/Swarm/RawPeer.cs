using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>A hand-driven peer-wire connection for tests: says exactly what a test wants, well-formed or not.</summary>
    sealed class RawPeer : IDisposable
    {
        public readonly IConnection Connection;
        public readonly PeerWireReader Reader;
        public readonly PeerWireWriter Writer;
        public Handshake Theirs;

        RawPeer(IConnection connection, int pieceCount)
        {
            Connection = connection;
            Reader = new PeerWireReader(connection.Stream) { PieceCount = pieceCount };
            Writer = new PeerWireWriter(connection.Stream);
        }

        public static byte[] Id(string text)
        {
            var id = new byte[20];
            for (int i = 0; i < 20; i++) id[i] = (byte)(i < text.Length ? text[i] : '0');
            return id;
        }

        /// <param name="extensionProtocol">Set the BEP 10 bit in our handshake (as libtorrent and aria2 do).</param>
        public static async Task<RawPeer> ConnectAsync(IPeerRuntime runtime, HostPort to, TorrentMetainfo torrent, string peerId = "-XX0001-raw",
            bool extensionProtocol = false)
        {
            var peer = new RawPeer(await runtime.Transport.ConnectAsync(to.Host, to.Port), torrent.PieceCount);
            await peer.Writer.WriteHandshakeAsync(new Handshake(torrent.InfoHash, Id(peerId)) { SupportsExtensionProtocol = extensionProtocol }, CancellationToken.None);
            peer.Theirs = await peer.Reader.ReadHandshakeAsync(CancellationToken.None);
            return peer;
        }

        /// <summary>Handshakes over a connection the caller opened (a live one bound to its own source address).</summary>
        public static async Task<RawPeer> HandshakeAsync(IConnection connection, TorrentMetainfo torrent, string peerId)
        {
            var peer = new RawPeer(connection, torrent.PieceCount);
            await peer.Writer.WriteHandshakeAsync(new Handshake(torrent.InfoHash, Id(peerId)), CancellationToken.None);
            peer.Theirs = await peer.Reader.ReadHandshakeAsync(CancellationToken.None);
            return peer;
        }

        public static async Task<RawPeer> AcceptAsync(IListener listener, TorrentMetainfo torrent, string peerId, bool extensionProtocol = false)
        {
            var peer = new RawPeer(await listener.AcceptAsync(), torrent.PieceCount);
            peer.Theirs = await peer.Reader.ReadHandshakeAsync(CancellationToken.None);
            await peer.Writer.WriteHandshakeAsync(new Handshake(torrent.InfoHash, Id(peerId)) { SupportsExtensionProtocol = extensionProtocol }, CancellationToken.None);
            return peer;
        }

        public Task SendAsync(params PeerMessage[] messages)
        {
            foreach (var m in messages) Writer.Enqueue(m);
            return Writer.FlushAsync(CancellationToken.None);
        }

        public Task SendRawAsync(byte[] bytes) => Connection.Stream.WriteAsync(bytes, 0, bytes.Length, CancellationToken.None);

        /// <summary>The next message of <paramref name="type"/> (others skipped), or null when the connection ends first.</summary>
        public async Task<PeerMessage> NextAsync(PeerMessageType type)
        {
            while (true)
            {
                PeerMessage m;
                try { m = await Reader.ReadMessageAsync(CancellationToken.None); }
                catch (System.IO.IOException) { return null; }
                if (m == null || m.Type == type) return m;
            }
        }

        public void Dispose() => Connection.Dispose();
    }
}
