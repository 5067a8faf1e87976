using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using PSPeer.Engine.Tests.Interop;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>
    /// The codec and the storage against libtorrent, a client nobody here wrote: it makes the torrent and seeds it;
    /// we handshake, read its bitfield, ask for every block, and verify and store every piece.
    /// </summary>
    public class LibtorrentWireInteropTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        // Makes data.bin's torrent with 64 KiB pieces, seeds it on 127.0.0.1 over TCP only, prints the port, and
        // seeds until its stdin closes.
        const string SeederScript = @"
import os, sys, time
import libtorrent as lt
d = sys.argv[1]
fs = lt.file_storage()
lt.add_files(fs, os.path.join(d, 'data.bin'))
ct = lt.create_torrent(fs, 65536)
lt.set_piece_hashes(ct, d)
with open(os.path.join(d, 't.torrent'), 'wb') as f:
    f.write(lt.bencode(ct.generate()))
s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False,
                'enable_natpmp': False, 'enable_outgoing_utp': False, 'enable_incoming_utp': False,
                'allow_multiple_connections_per_ip': True})
h = s.add_torrent({'ti': lt.torrent_info(os.path.join(d, 't.torrent')), 'save_path': d})
while not h.status().is_seeding:
    time.sleep(0.05)
print(s.listen_port(), flush=True)
sys.stdin.read()
";

        [InteropFact(Libtorrent.ToolName)]
        public async Task A_libtorrent_seeder_accepts_our_handshake_and_serves_every_block_and_every_piece_verifies()
        {
            using (var seedDir = new TempFolder())
            using (var downloadDir = new TempFolder())
            {
                var content = TempFolder.RandomBytes(300_000, 21);   // 5 pieces of 64 KiB, the last short
                seedDir.Write("data.bin", content);
                File.WriteAllText(Path.Combine(seedDir.Path, "seed.py"), SeederScript);
                var psi = new ProcessStartInfo(ExternalTool.Require(Libtorrent.ToolName)) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
                psi.ArgumentList.Add(Path.Combine(seedDir.Path, "seed.py"));
                psi.ArgumentList.Add(seedDir.Path);
                using (var seeder = Process.Start(psi))
                {
                    try
                    {
                        string line = await seeder.StandardOutput.ReadLineAsync().WaitAsync(Timeout);
                        if (!int.TryParse(line, out int port))
                        {
                            seeder.StandardInput.Close();
                            Assert.Fail("the libtorrent seeder printed no port: " + line + " " + await seeder.StandardError.ReadToEndAsync().WaitAsync(Timeout));
                        }
                        var torrent = TorrentMetainfo.Parse(File.ReadAllBytes(Path.Combine(seedDir.Path, "t.torrent")));
                        Assert.Equal(5, torrent.PieceCount);
                        await DownloadAsync(torrent, port, downloadDir.Path).WaitAsync(Timeout);
                    }
                    finally
                    {
                        seeder.StandardInput.Close();
                        if (!seeder.WaitForExit(5000)) seeder.Kill(entireProcessTree: true);
                    }
                }
                Assert.Equal(content, File.ReadAllBytes(Path.Combine(downloadDir.Path, "data.bin")));
            }
        }

        static async Task DownloadAsync(TorrentMetainfo torrent, int port, string directory)
        {
            var ct = CancellationToken.None;
            using (var connection = await LiveRuntime.Loopback.Transport.ConnectAsync("127.0.0.1", port, ct))
            using (var storage = new PieceStorage(LiveRuntime.Loopback.Storage, torrent, directory))
            {
                var reader = new PeerWireReader(connection.Stream);
                var writer = new PeerWireWriter(connection.Stream);
                writer.EnqueueHandshake(new Handshake(torrent.InfoHash, Encoding.ASCII.GetBytes("-PS0100-interoptest1")));
                writer.Enqueue(PeerMessage.BitfieldOf(new Bitfield(torrent.PieceCount)));   // nothing yet: all zero
                writer.Enqueue(PeerMessage.Interested);
                await writer.FlushAsync(ct);

                var handshake = await reader.ReadHandshakeAsync(ct);
                Assert.Equal(torrent.InfoHash, handshake.InfoHash);
                reader.PieceCount = torrent.PieceCount;

                Bitfield theirs = null;
                PeerMessage m;
                while ((m = await reader.ReadMessageAsync(ct)) != null && m.Type != PeerMessageType.Unchoke)
                    if (m.Type == PeerMessageType.Bitfield) theirs = Bitfield.FromBytes(m.Data, m.DataOffset, m.DataCount, torrent.PieceCount);
                Assert.NotNull(m);
                Assert.NotNull(theirs);
                Assert.True(theirs.AllSet);

                var piece = new byte[torrent.PieceLength];
                reader.BlockBuffer = (index, begin, length) => new ArraySegment<byte>(piece, begin, length);
                for (int index = 0; index < torrent.PieceCount; index++)
                {
                    int size = torrent.GetPieceSize(index);
                    int blocks = 0;
                    for (int begin = 0; begin < size; begin += BitTorrentConstants.BlockSize, blocks++)
                        writer.Enqueue(PeerMessage.Request(index, begin, Math.Min(BitTorrentConstants.BlockSize, size - begin)));
                    await writer.FlushAsync(ct);
                    while (blocks > 0)
                    {
                        m = await reader.ReadMessageAsync(ct);
                        Assert.NotNull(m);
                        if (m.Type != PeerMessageType.Piece) continue;
                        Assert.Equal(index, m.Index);
                        blocks--;
                    }
                    Assert.True(await storage.WritePieceAsync(index, piece, 0, ct), $"piece {index} failed its hash");
                }
                Assert.True(storage.IsComplete);
                Assert.True(await storage.PromoteAsync(ct));
            }
        }
    }
}
