using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// Downloads from a source that answers as gtk-gnutella does: "206 Partial Content" with at most 512 KiB even to a
    /// request without Range, then one range per request on the same keep-alive connection. Every answer is written out
    /// by hand here, byte for byte, so the tests check the downloader against that wire behaviour, not against PSPeer's
    /// own server.
    /// </summary>
    public class HttpDownloaderPartialContentTests : IDisposable
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        const int FileSize = 3 * 1024 * 1024;          // 3145728
        const int Chunk = 512 * 1024;                   // gtk-gnutella's most per request
        static readonly byte[] File3MiB = TempFolder.RandomBytes(FileSize, 11);
        static readonly ContentHash Hash = ContentHash.Compute(File3MiB);
        readonly TempFolder _dest = new TempFolder();

        public void Dispose() => _dest.Dispose();

        static SearchHit HitAt(string source, long size = FileSize) =>
            new SearchHit("big.iso", size, Hash, source, 3, "gtkg", 1, TimeSpan.Zero);

        /// <summary>What gtk-gnutella sends for one chunk: its 206 head as it writes it, then the bytes.</summary>
        static byte[] GtkgChunk(long first, long last, long total = FileSize, string extra = "", bool close = false) =>
            ScriptedHttpSource.Cat(Encoding.ASCII.GetBytes(
                "HTTP/1.1 206 Partial Content\r\n" +
                "Server: gtk-gnutella/1.2.3 (2024-06-30; GTK2; Linux x86_64)\r\n" +
                "Date: Wed, 02 Dec 2026 02:00:00 GMT\r\n" +
                (close ? "Connection: close\r\n" : "") +
                "X-Features: browse/0.1, fwalt/0.1, ipv6/1.0, tls/1.0\r\n" +
                "Accept-Ranges: bytes\r\n" +
                "Last-Modified: Tue, 01 Dec 2026 12:00:00 GMT\r\n" +
                "X-Gnutella-Content-URN: " + Hash + "\r\n" +
                "Content-Range: bytes " + first + "-" + last + "/" + total + "\r\n" +
                "Content-Length: " + (last - first + 1) + "\r\n" +
                extra +
                "\r\n"), File3MiB, (int)first, (int)(last - first + 1));

        /// <summary>gtk-gnutella's rule: from wherever the request starts (0 without Range), at most 512 KiB.</summary>
        static (byte[], bool) GtkgAnswer(string request, bool close = false)
        {
            long first = Math.Max(0, ScriptedHttpSource.RangeStart(request));
            long last = Math.Min(FileSize - 1, first + Chunk - 1);
            return (GtkgChunk(first, last, close: close), close);
        }

        void AssertVerified(DownloadResult result)
        {
            Assert.True(result.Verified);
            Assert.Equal(FileSize, result.Size);
            Assert.Equal(File3MiB, File.ReadAllBytes(result.Path));
            Assert.Single(Directory.GetFileSystemEntries(_dest.Path));   // and no partial file beside it
        }

        [Fact]
        public async Task A_512_KiB_first_answer_is_continued_with_ranges_on_the_same_connection()
        {
            using var source = new ScriptedHttpSource { Answer = (request, n, connection) => GtkgAnswer(request) };
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout);

            AssertVerified(result);
            Assert.Equal(1, source.Connections);
            var requests = source.Requests.ToArray();
            Assert.Equal(6, requests.Length);
            Assert.StartsWith("GET /uri-res/N2R?" + Hash + " HTTP/1.1\r\n", requests[0]);
            Assert.Equal(-1, ScriptedHttpSource.RangeStart(requests[0]));   // the first asks for the whole file
            for (int i = 1; i < 6; i++)
            {
                Assert.StartsWith("GET /uri-res/N2R?" + Hash + " ", requests[i]);
                Assert.Contains("\r\nRange: bytes=" + (i * Chunk).ToString(CultureInfo.InvariantCulture) + "-\r\n", requests[i]);
            }
        }

        [Fact]
        public async Task Over_a_pushed_connection_every_range_comes_on_that_one_connection()
        {
            // The firewalled servent connected to us (GIV); here the test opens the socket and plays the servent's end.
            using var source = new ScriptedHttpSource(accept: false) { Answer = (request, n, connection) => GtkgAnswer(request) };
            var pushed = await LiveRuntime.Loopback.Transport.ConnectAsync("127.0.0.1", int.Parse(source.EndPoint.Split(':')[1]));
            var serving = source.ServeAsync(await source.Listener.AcceptTcpClientAsync());

            var result = await HttpDownloader.DownloadOverAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), pushed, new byte[0], _dest.Path, false, null).WaitAsync(Timeout);

            AssertVerified(result);
            Assert.Equal(6, source.Requests.Count);
            Assert.Equal(1, source.Connections);
            await serving.WaitAsync(Timeout);   // the downloader closed the connection when done
        }

        [Fact]
        public async Task A_pushed_connection_closed_after_the_first_chunk_fails_clearly_and_leaves_nothing()
        {
            using var source = new ScriptedHttpSource(accept: false) { Answer = (request, n, connection) => GtkgAnswer(request, close: true) };
            var pushed = await LiveRuntime.Loopback.Transport.ConnectAsync("127.0.0.1", int.Parse(source.EndPoint.Split(':')[1]));
            var serving = source.ServeAsync(await source.Listener.AcceptTcpClientAsync());

            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadOverAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), pushed, new byte[0], _dest.Path, false, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DownloadFailed, e.ErrorId);
            Assert.Contains("pushed connection", e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
            Assert.Equal(1, source.Requests.Count);
            await serving.WaitAsync(Timeout);
        }

        [Fact]
        public async Task A_reachable_source_that_closes_after_each_chunk_is_dialled_again_for_the_rest()
        {
            using var source = new ScriptedHttpSource { Answer = (request, n, connection) => GtkgAnswer(request, close: true) };
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout);
            AssertVerified(result);
            Assert.Equal(6, source.Connections);
            Assert.Equal(6, source.Requests.Count);
        }

        [Fact]
        public async Task A_source_that_drops_an_idle_keep_alive_connection_without_saying_so_is_dialled_again()
        {
            // The second chunk's request meets a connection the source closed after the first answer.
            using var source = new ScriptedHttpSource();
            source.Answer = (request, n, connection) => { var (bytes, _) = GtkgAnswer(request); return (bytes, n == 0); };
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout);
            AssertVerified(result);
            Assert.Equal(2, source.Connections);
        }

        public static TheoryData<string, string> BadFirstAnswers => new TheoryData<string, string>
        {
            // Content-Range, Content-Length: each breaks one rule.
            { "bytes 1-524288/3145728", "524288" },         // starts past what we asked for
            { "bytes 0-3145728/3145728", "3145729" },       // ends past the file
            { "bytes 0-524287/3145729", "524288" },         // a file of another size than the hit announced
            { "bytes 0-524287/3145728", "524287" },         // Content-Length contradicts the range
            { "bytes 524287-0/3145728", "524288" },         // last before first
            { "bytes 0-524287/*", "524288" },               // no total
            { "bytes=0-524287/3145728", "524288" },         // request syntax, not response syntax
            { "items 0-524287/3145728", "524288" },         // not bytes
            { "bytes 0-524287/3145728, bytes 5-6/3145728", "524288" },
            { null, "524288" },                             // 206 without Content-Range
        };

        [Theory]
        [MemberData(nameof(BadFirstAnswers))]
        public async Task A_bad_or_inconsistent_Content_Range_fails_clearly_and_leaves_no_file(string contentRange, string contentLength)
        {
            using var source = new ScriptedHttpSource();
            source.Answer = (request, n, connection) => (ScriptedHttpSource.Cat(Encoding.ASCII.GetBytes(
                "HTTP/1.1 206 Partial Content\r\nServer: gtk-gnutella/1.2.3\r\n" +
                (contentRange != null ? "Content-Range: " + contentRange + "\r\n" : "") +
                "Content-Length: " + contentLength + "\r\n\r\n"), File3MiB, 0, Chunk), false);
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DownloadFailed, e.ErrorId);
            Assert.Contains("'big.iso'", e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        [Theory]
        [InlineData(0)]            // the second answer repeats the first chunk
        [InlineData(524289)]       // skips a byte
        public async Task A_later_range_that_does_not_continue_the_file_fails_and_leaves_no_file(long secondStart)
        {
            using var source = new ScriptedHttpSource();
            source.Answer = (request, n, connection) => n == 0 ? GtkgAnswer(request) : (GtkgChunk(secondStart, secondStart + Chunk - 1), false);
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DownloadFailed, e.ErrorId);
            Assert.Contains("from 524288", e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        [Fact]
        public async Task Ranges_whose_bytes_differ_from_the_announced_file_fail_the_whole_file_hash()
        {
            // Every range is well-formed, but the fourth chunk's bytes are not the file's: only the SHA-1 can tell.
            var tampered = (byte[])File3MiB.Clone();
            tampered[3 * Chunk + 7] ^= 0x55;
            using var source = new ScriptedHttpSource();
            source.Answer = (request, n, connection) =>
            {
                long first = Math.Max(0, ScriptedHttpSource.RangeStart(request)), last = Math.Min(FileSize - 1, first + Chunk - 1);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {first}-{last}/{FileSize}\r\nContent-Length: {last - first + 1}\r\n\r\n");
                return (ScriptedHttpSource.Cat(head, tampered, (int)first, (int)(last - first + 1)), false);
            };
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.ContentHashMismatch, e.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        static (byte[], bool) Busy(string retryAfter) => (Encoding.ASCII.GetBytes(
            "HTTP/1.1 503 Busy\r\nServer: gtk-gnutella/1.2.3\r\n" + (retryAfter != null ? "Retry-After: " + retryAfter + "\r\n" : "") +
            "Content-Length: 0\r\n\r\n"), false);

        [Fact]
        public async Task A_503_with_a_short_Retry_After_is_waited_out_on_the_same_connection()
        {
            using var source = new ScriptedHttpSource();
            // Busy for the first request and again in the middle of the file.
            source.Answer = (request, n, connection) => n == 0 || n == 3 ? Busy("1") : GtkgAnswer(request);
            var result = await HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout);
            AssertVerified(result);
            Assert.Equal(1, source.Connections);
            var requests = source.Requests.ToArray();
            Assert.Equal(8, requests.Length);
            Assert.Equal(ScriptedHttpSource.RangeStart(requests[0]), ScriptedHttpSource.RangeStart(requests[1]));   // each busy request, asked again
            Assert.Equal(2 * Chunk, ScriptedHttpSource.RangeStart(requests[3]));
            Assert.Equal(2 * Chunk, ScriptedHttpSource.RangeStart(requests[4]));
        }

        [Theory]
        [InlineData("3600")]       // longer than a download should sit waiting
        [InlineData(null)]         // busy with no hint when to come back
        [InlineData("soon")]
        public async Task A_503_that_asks_too_long_a_wait_or_none_fails_as_SourceBusy_at_once(string retryAfter)
        {
            using var source = new ScriptedHttpSource { Answer = (request, n, connection) => Busy(retryAfter) };
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.SourceBusy, e.ErrorId);
            Assert.Single(source.Requests);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }

        [Fact]
        public async Task A_source_that_stays_busy_fails_as_SourceBusy_after_the_bounded_retries()
        {
            using var source = new ScriptedHttpSource { Answer = (request, n, connection) => Busy("0") };
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.SourceBusy, e.ErrorId);
            Assert.Equal(HttpDownloadSession.MaxBusyAnswers + 1, source.Requests.Count);
        }

        [Fact]
        public async Task A_source_that_answers_a_range_request_with_the_whole_file_fails_clearly()
        {
            using var source = new ScriptedHttpSource();
            source.Answer = (request, n, connection) => n == 0
                ? GtkgAnswer(request)
                : (ScriptedHttpSource.Cat(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {FileSize}\r\n\r\n"), File3MiB, 0, FileSize), false);
            var e = await Assert.ThrowsAsync<PeerException>(() =>
                HttpDownloader.DownloadAsync(LiveRuntime.Loopback, HitAt(source.EndPoint), _dest.Path, null).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.DownloadFailed, e.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(_dest.Path));
        }
    }
}
