using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// libtorrent (python3-libtorrent, through Debian's /usr/bin/python3) as a seeder or leecher on loopback: TCP only
    /// (uTP is 10-20x slower on loopback), several connections per IP allowed (every peer is 127.0.0.1), no DHT/LSD/
    /// UPnP. Each process prints "listening" once its session is up and "complete" once every piece is verified.
    /// </summary>
    public static class Libtorrent
    {
        /// <summary>The name to give <see cref="InteropFactAttribute"/> for tests that need libtorrent.</summary>
        public const string ToolName = "python3-libtorrent";

        internal static string FindPython()
        {
            if (!File.Exists(ExternalTool.DebianPython)) return null;
            try
            {
                var check = ExternalTool.RunAsync(ExternalTool.DebianPython, new[] { "-c", "import libtorrent" }, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                return check.ExitCode == 0 ? ExternalTool.DebianPython : null;
            }
            catch (Exception) { return null; }
        }

        static readonly Lazy<string> Script = new Lazy<string>(() =>
        {
            string path = Path.Combine(Path.GetTempPath(), "pspeer-btlt-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".py");
            File.WriteAllText(path, ScriptText);
            return path;
        });

        /// <summary>Seeds <paramref name="torrentPath"/> from <paramref name="directory"/> on <paramref name="port"/> until killed.</summary>
        public static ToolProcess Seed(string torrentPath, string directory, int port, params string[] connectTo) =>
            Start("seed", torrentPath, directory, port, connectTo);

        /// <summary>
        /// Downloads into <paramref name="directory"/>; exits 0 once complete. <paramref name="connectTo"/> ("host:port")
        /// are connected to directly, beside the torrent's trackers.
        /// </summary>
        public static ToolProcess Download(string torrentPath, string directory, int port, params string[] connectTo) =>
            Start("leech", torrentPath, directory, port, connectTo);

        static ToolProcess Start(string mode, string torrentPath, string directory, int port, string[] connectTo)
        {
            var args = new List<string> { "-u", Script.Value, mode, torrentPath, directory, port.ToString() };
            args.AddRange(connectTo);
            return ToolProcess.Start(ExternalTool.Require(ToolName), args, directory);
        }

        /// <summary>The v1 info-hash (40 hex digits) libtorrent computes for a .torrent file.</summary>
        public static async Task<string> InfoHashAsync(string torrentPath)
        {
            var result = await ExternalTool.RunAsync(ExternalTool.Require(ToolName), new[] { Script.Value, "infohash", torrentPath }, TimeSpan.FromSeconds(30));
            if (result.ExitCode != 0) throw new InvalidOperationException("libtorrent could not read the torrent: " + result);
            return result.StandardOutput.Trim();
        }

        /// <summary>Writes a v1 .torrent of <paramref name="contentPath"/> with libtorrent's own creator.</summary>
        public static async Task CreateAsync(string contentPath, string torrentPath, string announceUrl, int pieceLength = 256 * 1024)
        {
            var result = await ExternalTool.RunAsync(ExternalTool.Require(ToolName),
                new[] { Script.Value, "create", contentPath, torrentPath, announceUrl ?? "", pieceLength.ToString() }, TimeSpan.FromSeconds(120));
            if (result.ExitCode != 0) throw new InvalidOperationException("libtorrent could not create the torrent: " + result);
        }

        const string ScriptText = @"
import os, sys, time

def lt():
    import libtorrent
    return libtorrent

def infohash(path):
    print(lt().torrent_info(path).info_hashes().v1)

def create(path, out, tracker, piece_length):
    L = lt()
    fs = L.file_storage()
    L.add_files(fs, path)
    ct = L.create_torrent(fs, int(piece_length), flags=L.create_torrent.v1_only)
    if tracker:
        ct.add_tracker(tracker)
    L.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
    with open(out, 'wb') as f:
        f.write(L.bencode(ct.generate()))

def client(mode, torrent, save, port, peers):
    L = lt()
    cat = L.alert.category_t
    ses = L.session({
        'listen_interfaces': '127.0.0.1:%d' % port,
        'outgoing_interfaces': '127.0.0.1',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'alert_mask': cat.status_notification | cat.error_notification | cat.tracker_notification,
    })
    atp = L.add_torrent_params()
    atp.ti = L.torrent_info(torrent)
    atp.save_path = save
    h = ses.add_torrent(atp)
    print('listening', flush=True)
    for p in peers:
        host, _, pport = p.rpartition(':')
        h.connect_peer((host, int(pport)))
    announced = False
    while True:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, (L.torrent_error_alert, L.listen_failed_alert, L.file_error_alert, L.tracker_error_alert)):
                print('error:', a.message(), file=sys.stderr, flush=True)
            elif isinstance(a, L.tracker_reply_alert):
                print('tracker reply:', a.message(), flush=True)
        st = h.status()
        if st.is_seeding and not announced:
            print('complete', flush=True)
            announced = True
            if mode == 'leech':
                return 0

if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'infohash': infohash(*args)
    elif cmd == 'create': create(*args)
    elif cmd in ('seed', 'leech'):
        sys.exit(client(cmd, args[0], args[1], int(args[2]), args[3:]))
    else: sys.exit('unknown command ' + cmd)
";
    }
}
