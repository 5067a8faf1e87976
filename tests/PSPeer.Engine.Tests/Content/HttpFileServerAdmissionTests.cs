using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>The HTTP file server under attack: connection floods, readers that do not read, too many downloads at once.</summary>
    public class HttpFileServerAdmissionTests : IDisposable
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
        const string HonestAddress = "127.0.0.50";
        readonly TempFolder _root = new TempFolder();
        readonly ConcurrentQueue<(string type, string remote, string message)> _events = new ConcurrentQueue<(string, string, string)>();
        readonly byte[] _big = TempFolder.RandomBytes(16 << 20, 5);   // far more than the kernel buffers of a loopback socket
        readonly List<HttpTestClient> _clients = new List<HttpTestClient>();
        SharedFolder _folder;
        HttpFileServer _server;

        async Task StartAsync(ConnectionLimits limits)
        {
            _root.Write("big.bin", _big);
            _root.Write("small.txt", System.Text.Encoding.ASCII.GetBytes("small and honest"));
            _folder = new SharedFolder(LiveRuntime.Loopback.Storage, _root.Path, new HashCache());
            await _folder.ScanAsync().WaitAsync(Timeout);
            _server = new HttpFileServer(LiveRuntime.Loopback, _folder, (t, r, m) => _events.Enqueue((t, r, m))) { Limits = limits };
            await _server.StartAsync(0).WaitAsync(Timeout);
        }

        string Target(string name)
        {
            var f = _folder.Files.Single(x => x.Name == name);
            return "/get/" + f.Index + "/" + name;
        }

        async Task<HttpTestClient> ClientAsync(string source, int receiveBuffer = 0)
        {
            var c = await HttpTestClient.ConnectAsync(_server.EndPoint, source, receiveBuffer);
            _clients.Add(c);
            return c;
        }

        /// <summary>Asks for the big file and reads only the response head: a reader that never takes the body.</summary>
        async Task<HttpTestClient> StalledReaderAsync(string source)
        {
            var c = await ClientAsync(source, receiveBuffer: 4096);
            await c.SendAsync($"GET {Target("big.bin")} HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = await c.ReadResponseAsync(head: true);
            Assert.Equal(200, r.Status);
            return c;
        }

        [Fact]
        public async Task More_connections_than_the_cap_from_attackers_leave_an_honest_download_served()
        {
            await StartAsync(new ConnectionLimits { MaxConnections = 40, MaxConnectionsPerAddress = 8 });
            using var attacker = new LoopbackAttacker();
            for (int a = 2; a < 12; a++) await attacker.OpenAsync("127.0.0." + a, _server.EndPoint, 20);
            await Poll.UntilAsync(() => _server.Admission.RefusedCount >= 120, "the flood to be refused", Poll.FloodBound);
            Assert.True(_server.Admission.OpenCount <= 40, $"{_server.Admission.OpenCount} admitted");

            // A refused HTTP client is told so: 503 with Retry-After, not a bare reset. (The last attacker address still
            // holds its 8: earlier addresses lost connections to eviction, since 10 x 8 is more than the 40 allowed.)
            // Once the flood's own refusals are done, there is room to answer this one with a 503 rather than just closing.
            await Poll.UntilAsync(() => _server.Admission.RefusingCount == 0, "the flood's refusals to finish", Poll.FloodBound);
            var refused = await ClientAsync("127.0.0.11");
            await refused.SendAsync($"GET {Target("small.txt")} HTTP/1.1\r\nHost: x\r\n\r\n");
            var busy = await refused.ReadResponseAsync();
            Assert.Equal(503, busy.Status);
            Assert.Equal("30", busy.Headers["Retry-After"]);

            var honest = await ClientAsync(HonestAddress);
            await honest.SendAsync($"GET {Target("small.txt")} HTTP/1.1\r\nHost: x\r\n\r\n");
            var ok = await honest.ReadResponseAsync();
            Assert.Equal(200, ok.Status);
            Assert.Equal("small and honest", System.Text.Encoding.ASCII.GetString(ok.Body));
            Assert.Contains(_events, e => e.type == PeerEventTypes.ConnectionRefused && e.remote.StartsWith("127.0.0.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_reader_slower_than_the_minimum_rate_is_cut_and_a_fast_one_is_not()
        {
            await StartAsync(new ConnectionLimits { MinUploadRate = 256 * 1024, SlowUploadWindow = TimeSpan.FromSeconds(1) });
            var stalled = await StalledReaderAsync("127.0.0.2");
            var fast = await ClientAsync(HonestAddress);
            await fast.SendAsync($"GET {Target("big.bin")} HTTP/1.1\r\nHost: x\r\n\r\n");
            var whole = await fast.ReadResponseAsync();
            Assert.Equal(_big, whole.Body);

            // The stalled reader reads nothing until the server has cut it (reading would make it fast).
            await Poll.UntilAsync(() => _events.Any(e => e.type == PeerEventTypes.ConnectionTimedOut && e.message.Contains("less than the minimum")),
                "the stalled reader to be cut", Poll.FloodBound);
            Assert.True(await stalled.IsClosedByServerAsync(), "the stalled reader's connection is closed");
            await Poll.UntilAsync(() => _server.UploadCount == 0, "the upload slot to be given back", Poll.FloodBound);
        }

        [Fact]
        public async Task Uploads_beyond_the_cap_get_503_with_retry_after_and_a_freed_slot_serves_again()
        {
            await StartAsync(new ConnectionLimits { MaxUploads = 2, MinUploadRate = 0 });
            var first = await StalledReaderAsync("127.0.0.2");
            var second = await StalledReaderAsync("127.0.0.3");
            Assert.Equal(2, _server.UploadCount);

            var third = await ClientAsync(HonestAddress);
            await third.SendAsync($"GET {Target("small.txt")} HTTP/1.1\r\nHost: x\r\n\r\n");
            var busy = await third.ReadResponseAsync();
            Assert.Equal(503, busy.Status);
            Assert.Equal(HttpFileServer.RetryAfterSeconds.ToString(), busy.Headers["Retry-After"]);

            first.Dispose();
            await Poll.UntilAsync(() => _server.UploadCount == 1, "the first slot to be freed", Poll.FloodBound);
            var again = await ClientAsync(HonestAddress);
            await again.SendAsync($"GET {Target("small.txt")} HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, (await again.ReadResponseAsync()).Status);
            GC.KeepAlive(second);
        }

        public void Dispose()
        {
            foreach (var c in _clients) c.Dispose();
            _server?.StopAsync().Wait(Timeout);
            _root.Dispose();
        }
    }
}
