using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    public class HttpFileServerTests : IAsyncLifetime
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
        readonly TempFolder _root = new TempFolder();
        readonly TempFolder _outside = new TempFolder();
        readonly ConcurrentQueue<(string type, string remote, string message)> _events = new ConcurrentQueue<(string, string, string)>();
        byte[] _song, _small;
        SharedFolder _folder;
        HttpFileServer _server;

        public async Task InitializeAsync()
        {
            _song = TempFolder.RandomBytes(1_500_000, 11);   // several server chunks
            _small = Encoding.ASCII.GetBytes("0123456789abcdefghijklmnopqrstuvwxyz");
            _root.Write("Hey Jude.mp3", _song);
            _root.Write("small.txt", _small);
            _outside.Write("secret.txt", Encoding.ASCII.GetBytes("TOP-SECRET-MARKER"));
            _folder = new SharedFolder(LiveRuntime.Loopback.Storage, _root.Path, new HashCache());
            await _folder.ScanAsync().WaitAsync(Timeout);
            _server = new HttpFileServer(LiveRuntime.Loopback, _folder, (t, r, m) => _events.Enqueue((t, r, m)));
            await _server.StartAsync(0).WaitAsync(Timeout);
        }

        public async Task DisposeAsync()
        {
            await _server.StopAsync().WaitAsync(Timeout);
            _root.Dispose();
            _outside.Dispose();
        }

        SharedFile Song => _folder.Files.Single(f => f.Name == "Hey Jude.mp3");
        string Url(string target) => "http://" + _server.EndPoint + target;

        [Fact]
        public async Task Get_by_index_and_name_and_by_urn_return_the_whole_file_with_headers()
        {
            using var http = new HttpClient { Timeout = Timeout };
            var byName = await http.GetAsync(Url("/get/" + Song.Index + "/Hey%20Jude.mp3"));
            Assert.Equal(200, (int)byName.StatusCode);
            Assert.Equal(_song, await byName.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/octet-stream", byName.Content.Headers.ContentType.MediaType);
            Assert.Equal(_song.Length, byName.Content.Headers.ContentLength);
            Assert.Equal(Song.ContentHash.ToString(), byName.Headers.GetValues("X-Gnutella-Content-URN").Single());
            Assert.Equal("bytes", byName.Headers.AcceptRanges.Single());
            Assert.Contains("PSPeer/0.1", byName.Headers.GetValues("Server").Single());

            var byHash = await http.GetAsync(Url("/uri-res/N2R?" + Song.ContentHash));
            Assert.Equal(200, (int)byHash.StatusCode);
            Assert.Equal(_song, await byHash.Content.ReadAsByteArrayAsync());

            Assert.Contains(_events, e => e.type == PeerEventTypes.UploadCompleted && e.message.Contains("Hey Jude.mp3"));
            Assert.Contains(_events, e => e.type == PeerEventTypes.HttpRequest && e.message.Contains("N2R"));
        }

        [Fact]
        public async Task Unknown_index_wrong_name_and_unknown_hash_are_404()
        {
            using var http = new HttpClient { Timeout = Timeout };
            Assert.Equal(404, (int)(await http.GetAsync(Url("/get/99/Hey%20Jude.mp3"))).StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync(Url("/get/" + Song.Index + "/Other.mp3"))).StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync(Url("/uri-res/N2R?" + ContentHash.Compute(new byte[] { 1 })))).StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync(Url("/"))).StatusCode);
        }

        [Theory]
        [InlineData("bytes=10-99", 10, 99)]
        [InlineData("bytes=1499000-", 1499000, 1499999)]
        [InlineData("bytes=-50", 1499950, 1499999)]
        [InlineData("bytes=0-0", 0, 0)]
        [InlineData("bytes=1400000-99999999", 1400000, 1499999)]
        public async Task Single_ranges_get_206_with_content_range_and_exact_bytes(string range, long start, long end)
        {
            using var client = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await client.SendAsync($"GET /get/{Song.Index}/Hey%20Jude.mp3 HTTP/1.1\r\nHost: x\r\nRange: {range}\r\n\r\n");
            var r = await client.ReadResponseAsync();
            Assert.Equal(206, r.Status);
            Assert.Equal($"bytes {start}-{end}/{_song.Length}", r.Headers["Content-Range"]);
            Assert.Equal(_song.AsSpan((int)start, (int)(end - start + 1)).ToArray(), r.Body);
        }

        [Fact]
        public async Task Unsatisfiable_range_is_416_and_multi_range_gets_the_whole_file()
        {
            using var client = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await client.SendAsync($"GET /get/{Song.Index}/Hey%20Jude.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=1500000-\r\n\r\n");
            var r = await client.ReadResponseAsync();
            Assert.Equal(416, r.Status);
            Assert.Equal("bytes */1500000", r.Headers["Content-Range"]);

            // Same connection: a 416 does not close it.
            await client.SendAsync($"GET /get/{Song.Index}/Hey%20Jude.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1,5-6\r\n\r\n");
            r = await client.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.Equal(_song, r.Body);
        }

        [Fact]
        public async Task Keep_alive_serves_pipelined_requests_and_HEAD_sends_no_body()
        {
            var small = _folder.Files.Single(f => f.Name == "small.txt");
            using var client = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await client.SendAsync(
                $"HEAD /get/{small.Index}/small.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
                $"GET /get/{small.Index}/small.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
                $"GET /uri-res/N2R?{small.ContentHash} HTTP/1.1\r\nHost: x\r\nRange: bytes=-6\r\nConnection: close\r\n\r\n");
            var head = await client.ReadResponseAsync(head: true);
            Assert.Equal(200, head.Status);
            Assert.Equal(_small.Length.ToString(), head.Headers["Content-Length"]);
            var get = await client.ReadResponseAsync();
            Assert.Equal(_small, get.Body);
            var ranged = await client.ReadResponseAsync();
            Assert.Equal(206, ranged.Status);
            Assert.Equal("uvwxyz", Encoding.ASCII.GetString(ranged.Body));
            Assert.True(await client.IsClosedByServerAsync(), "Connection: close must close the connection");
        }

        [Theory]
        [InlineData("/get/0/../../etc/passwd")]
        [InlineData("/get/0/..%2f..%2fsecret.txt")]
        [InlineData("/get/0/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
        [InlineData("/get/1/%2e%2e/secret.txt")]
        [InlineData("/get/0/%2Fetc%2Fpasswd")]
        [InlineData("/get/0/..%5c..%5csecret.txt")]
        [InlineData("/get/0/small.txt%00.mp3")]
        [InlineData("/etc/passwd")]
        [InlineData("/../secret.txt")]
        [InlineData("/uri-res/N2R?../x")]
        [InlineData("/uri-res/N2R?urn:sha1:../../etc/passwd")]
        [InlineData("/get/0/C:%5cWindows%5cwin.ini")]
        [InlineData("/get/00000000001/small.txt")]
        public async Task Traversal_attempts_get_4xx_and_no_file_bytes(string target)
        {
            using var client = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await client.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = await client.ReadResponseAsync();
            Assert.InRange(r.Status, 400, 499);
            string body = Encoding.Latin1.GetString(r.Body);
            Assert.DoesNotContain("TOP-SECRET-MARKER", body);
            Assert.DoesNotContain("root:", body);
            Assert.DoesNotContain("0123456789abcdef", body);
        }

        [Fact]
        public async Task Malformed_and_oversized_requests_close_only_their_connection()
        {
            using var good = await HttpTestClient.ConnectAsync(_server.EndPoint);
            using var garbage = await HttpTestClient.ConnectAsync(_server.EndPoint);
            using var huge = await HttpTestClient.ConnectAsync(_server.EndPoint);
            using var noVersion = await HttpTestClient.ConnectAsync(_server.EndPoint);

            await garbage.SendAsync("\x01\x02 hello there\r\n\r\n");
            Assert.Equal(400, (await garbage.ReadResponseAsync()).Status);
            Assert.True(await garbage.IsClosedByServerAsync());

            await huge.SendAsync("GET /get/0/x HTTP/1.1\r\nX-Fill: " + new string('a', 20_000) + "\r\n\r\n");
            Assert.Equal(431, (await huge.ReadResponseAsync()).Status);
            Assert.True(await huge.IsClosedByServerAsync());

            await noVersion.SendAsync("GET /get/0/small.txt HTTP/9.9\r\n\r\n");
            Assert.Equal(400, (await noVersion.ReadResponseAsync()).Status);
            Assert.True(await noVersion.IsClosedByServerAsync());

            var small = _folder.Files.Single(f => f.Name == "small.txt");
            await good.SendAsync($"GET /get/{small.Index}/small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(_small, (await good.ReadResponseAsync()).Body);
            Assert.True(_events.Count(e => e.type == PeerEventTypes.MalformedMessage) >= 3);
        }

        [Fact]
        public async Task Post_is_405_and_a_get_with_a_body_is_400()
        {
            using var post = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await post.SendAsync("POST /get/0/small.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            var r = await post.ReadResponseAsync();
            Assert.Equal(405, r.Status);
            Assert.Equal("GET, HEAD", r.Headers["Allow"]);

            using var body = await HttpTestClient.ConnectAsync(_server.EndPoint);
            await body.SendAsync("GET /get/0/small.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            Assert.Equal(400, (await body.ReadResponseAsync()).Status);
        }

        [Fact]
        public async Task Stop_closes_idle_keep_alive_connections_promptly()
        {
            using var idle = await HttpTestClient.ConnectAsync(_server.EndPoint);
            var small = _folder.Files.Single(f => f.Name == "small.txt");
            await idle.SendAsync($"GET /get/{small.Index}/small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, (await idle.ReadResponseAsync()).Status);
            Assert.Equal(1, _server.ConnectionCount);

            await _server.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(await idle.IsClosedByServerAsync());
            Assert.Equal(0, _server.ConnectionCount);
            await Assert.ThrowsAnyAsync<Exception>(() => HttpTestClient.ConnectAsync(_server.EndPoint));
        }

        [Fact]
        public async Task Idle_connections_time_out()
        {
            var folder = new SharedFolder(LiveRuntime.Loopback.Storage, null, new HashCache());
            var server = new HttpFileServer(LiveRuntime.Loopback, folder, null) { IdleTimeout = TimeSpan.FromMilliseconds(200) };
            await server.StartAsync(0).WaitAsync(Timeout);
            try
            {
                using var silent = await HttpTestClient.ConnectAsync(server.EndPoint);
                await silent.SendAsync("GET /get/0/x HTTP/1.1\r\n");   // never finishes its head
                Assert.True(await silent.IsClosedByServerAsync());
            }
            finally { await server.StopAsync().WaitAsync(Timeout); }
        }

        [Fact]
        public async Task A_taken_port_throws_PortInUse()
        {
            var other = new HttpFileServer(LiveRuntime.Loopback, _folder, null);
            var e = await Assert.ThrowsAsync<PeerException>(() => other.StartAsync(_server.Port).WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
        }
    }
}
