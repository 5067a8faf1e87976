using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

// The hand-written servers here read a request once to get past it; how many bytes that read returns does not matter.
#pragma warning disable CA2022

namespace PSPeer.Engine.Tests.Content
{
    public class HttpDownloaderTests : IAsyncLifetime
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        readonly TempFolder _root = new TempFolder();
        readonly TempFolder _dest = new TempFolder();
        byte[] _song;
        SharedFolder _folder;
        HttpFileServer _server;

        public async Task InitializeAsync()
        {
            _song = TempFolder.RandomBytes(3_000_000, 5);
            _root.Write("albums/Hey Jude.mp3", _song);
            _folder = new SharedFolder(LiveRuntime.Loopback.Storage, _root.Path, new HashCache());
            await _folder.ScanAsync().WaitAsync(Timeout);
            _server = new HttpFileServer(LiveRuntime.Loopback, _folder, null);
            await _server.StartAsync(0).WaitAsync(Timeout);
        }

        public async Task DisposeAsync()
        {
            await _server.StopAsync().WaitAsync(Timeout);
            _root.Dispose();
            _dest.Dispose();
        }

        SearchHit HitFor(SharedFile f, string source = null, ContentHash? hash = null) =>
            new SearchHit(f.Name, f.Size, hash ?? f.ContentHash, source ?? _server.EndPoint, f.Index, "bob", 1, TimeSpan.Zero);

        sealed class Recorder : IProgress<DownloadProgress>
        {
            public readonly ConcurrentQueue<DownloadProgress> Reports = new ConcurrentQueue<DownloadProgress>();
            public void Report(DownloadProgress value) => Reports.Enqueue(value);
        }

        [Fact]
        public async Task Download_verifies_and_moves_the_file_into_place()
        {
            var progress = new Recorder();
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0]), _dest.Path, progress).WaitAsync(Timeout);

            Assert.True(result.Verified);
            Assert.Equal(Path.Combine(_dest.Path, "Hey Jude.mp3"), result.Path);
            Assert.Equal(_song, File.ReadAllBytes(result.Path));
            Assert.Equal(_song.Length, result.Size);
            Assert.Equal(_folder.Files[0].ContentHash, result.ContentHash);
            Assert.Single(Directory.GetFiles(_dest.Path));   // no partial file left behind
            var last = progress.Reports.Last();
            Assert.Equal(_song.Length, last.BytesReceived);
            Assert.Equal(_song.Length, last.TotalBytes);
        }

        [Fact]
        public async Task An_existing_file_is_overwritten_only_by_a_verified_download()
        {
            string existing = Path.Combine(_dest.Path, "Hey Jude.mp3");
            File.WriteAllText(existing, "old");
            var wrong = ContentHash.Compute(new byte[] { 9 });
            await Assert.ThrowsAsync<PeerException>(() => HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0], hash: wrong), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal("old", File.ReadAllText(existing));

            // Without replaceExisting a different file of the same name is left alone, before any byte is fetched.
            var refused = await Assert.ThrowsAsync<PeerException>(() => HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0]), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DestinationFileExists, refused.ErrorId);
            Assert.Equal("old", File.ReadAllText(existing));
            Assert.Single(Directory.GetFileSystemEntries(_dest.Path));   // no partial left behind

            await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0]), _dest.Path, replaceExisting: true, null).WaitAsync(Timeout);
            Assert.Equal(_song, File.ReadAllBytes(existing));
        }

        [Fact]
        public async Task An_existing_file_with_the_same_content_is_the_result_without_a_transfer()
        {
            string existing = Path.Combine(_dest.Path, "Hey Jude.mp3");
            File.WriteAllBytes(existing, _song);
            var hit = HitFor(_folder.Files[0]);
            var present = await HttpDownloader.ExistingCopyAsync(LiveRuntime.Loopback, hit, _dest.Path, replaceExisting: false).WaitAsync(Timeout);
            Assert.NotNull(present);
            Assert.True(present.AlreadyPresent);
            Assert.True(present.Verified);
            Assert.Equal(existing, present.Path);
            Assert.Equal(hit.ContentHash, present.ContentHash);

            File.WriteAllText(existing, "changed");
            var e = await Assert.ThrowsAsync<PeerException>(() => HttpDownloader.ExistingCopyAsync(LiveRuntime.Loopback, hit, _dest.Path, replaceExisting: false).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DestinationFileExists, e.ErrorId);
            Assert.Null(await HttpDownloader.ExistingCopyAsync(LiveRuntime.Loopback, hit, _dest.Path, replaceExisting: true).WaitAsync(Timeout));
        }

        [Fact]
        public async Task A_wrong_hash_throws_ContentHashMismatch_and_leaves_nothing()
        {
            var wrong = ContentHash.Compute(Encoding.ASCII.GetBytes("something else"));
            // N2R by the wrong hash is 404, so this also exercises the fallback to /get/<index>/<name>.
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0], hash: wrong), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.ContentHashMismatch, e.ErrorId);
            Assert.Contains(wrong.ToString(), e.Message);
            Assert.Contains(_folder.Files[0].ContentHash.ToString(), e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        [Fact]
        public async Task A_file_changed_on_disk_after_sharing_fails_verification()
        {
            var shared = _folder.Files[0];
            var tampered = (byte[])_song.Clone();
            tampered[1_000_000] ^= 0xFF;
            File.WriteAllBytes(shared.FullPath, tampered);   // same size: the server still serves it under the old hash

            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(shared), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.ContentHashMismatch, e.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        [Fact]
        public async Task Cancelling_mid_way_removes_the_partial_file()
        {
            // A server that sends the head and part of the body, then stalls.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var served = Task.Run(async () =>
            {
                using var s = await listener.AcceptTcpClientAsync();
                var stream = s.GetStream();
                var buf = new byte[4096];
                await stream.ReadAsync(buf, 0, buf.Length);
                var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n");
                await stream.WriteAsync(head, 0, head.Length);
                await stream.WriteAsync(_song, 0, 100_000);
                try { await stream.ReadAsync(buf, 0, buf.Length); } catch (IOException) { }   // until the client goes away
            });
            using var cts = new CancellationTokenSource();
            var hit = HitFor(_folder.Files[0], source: "127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port);
            var download = HttpDownloader.DownloadAsync(LiveRuntime.Loopback, hit, _dest.Path, null, cts.Token);

            var deadline = DateTime.UtcNow + Timeout;
            while (!Directory.GetFiles(_dest.Path, "*" + SharedFolder.PartialSuffix).Any() && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.NotEmpty(Directory.GetFiles(_dest.Path, "*" + SharedFolder.PartialSuffix));
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download.WaitAsync(Timeout));
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
            await served.WaitAsync(Timeout);
        }

        [Fact]
        public async Task A_connection_cut_short_throws_DownloadFailed_and_leaves_nothing()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var served = Task.Run(async () =>
            {
                using var s = await listener.AcceptTcpClientAsync();
                var stream = s.GetStream();
                await stream.ReadAsync(new byte[4096], 0, 4096);
                var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n");
                await stream.WriteAsync(head, 0, head.Length);
                await stream.WriteAsync(_song, 0, 1000);
            });
            var hit = HitFor(_folder.Files[0], source: "127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port);
            var e = await Assert.ThrowsAsync<PeerException>(() => HttpDownloader.DownloadAsync(LiveRuntime.Loopback, hit, _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DownloadFailed, e.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
            await served.WaitAsync(Timeout);
        }

        [Fact]
        public async Task Nobody_listening_throws_PeerUnreachable()
        {
            // Hold the port bound but not listening: connections to it are refused, and no other test can take it
            // meanwhile (freeing it first let a parallel test's server answer there now and then).
            using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)held.LocalEndPoint).Port;
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitFor(_folder.Files[0], source: "127.0.0.1:" + port), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
        }

        [Fact]
        public async Task A_hostile_name_cannot_escape_the_destination()
        {
            // The server knows the file by hash, so N2R finds it whatever name the hit carries.
            var f = _folder.Files[0];
            var hit = new SearchHit("../../../etc/evil..", f.Size, f.ContentHash, _server.EndPoint, f.Index, "mallory", 1, TimeSpan.Zero);
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, hit, _dest.Path, null).WaitAsync(Timeout);
            Assert.Equal(Path.Combine(_dest.Path, "evil"), result.Path);
        }

        [Theory]
        [InlineData("music/Hey Jude.mp3", "Hey Jude.mp3")]
        [InlineData("..\\..\\windows\\system.ini", "system.ini")]
        [InlineData("../..", "fallback")]
        [InlineData("CON", "_CON")]
        [InlineData("lpt1.txt", "_lpt1.txt")]
        [InlineData("a<b>c:d|e?f*g\"h\u0001.txt", "a_b_c_d_e_f_g_h_.txt")]
        [InlineData("name. . ", "name")]
        [InlineData("", "fallback")]
        public void Remote_names_are_sanitised(string remote, string expected) =>
            Assert.Equal(expected, DownloadFileName.Sanitize(remote, "fallback"));
    }
}
