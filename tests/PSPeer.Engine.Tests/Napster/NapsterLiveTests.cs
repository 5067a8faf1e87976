using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;
using PSPeer.Engine.Tests.Support;

namespace PSPeer.Engine.Tests.Napster
{
    public class NapsterLiveTests
    {
        static readonly TimeSpan Step = RawNapsterClient.Step;
        static readonly LiveRuntime Live = LiveRuntime.Loopback;

        static async Task<NapsterIndexServer> StartServerAsync(ConcurrentQueue<PeerEvent> events = null)
        {
            var server = new NapsterIndexServer(Live, "index", 0);
            if (events != null) server.Events.Subscribe(events.Enqueue);
            await server.StartAsync().WaitAsync(Step);
            return server;
        }

        static async Task<NapsterPeer> StartPeerAsync(NapsterIndexServer server, string name, string folder)
        {
            var peer = new NapsterPeer(Live, name, HostPort.Parse(server.EndPoint), folder, 0);
            await peer.StartAsync().WaitAsync(Step);
            return peer;
        }

        static async Task<List<SearchHit>> SearchAsync(NapsterPeer peer, string query, int max = 100)
        {
            var hits = new List<SearchHit>();
            await peer.SearchAsync(query, new SearchOptions { MaxResults = max, Timeout = Step }, h => hits.Add(h)).WaitAsync(Step + Step);
            return hits;
        }

        [Fact]
        public async Task Three_peers_share_a_fourth_finds_Hey_Jude_and_downloads_it()
        {
            using var f1 = new TempFolder();
            using var f2 = new TempFolder();
            using var f3 = new TempFolder();
            using var dest = new TempFolder();
            byte[] jude = TempFolder.RandomBytes(300_000, 1);
            f1.Write("The Beatles - Hey Jude.mp3", jude);
            f1.Write("The Beatles - Let It Be.mp3", TempFolder.RandomBytes(5_000, 2));
            f2.Write("albums/Abbey Road/Come Together.mp3", TempFolder.RandomBytes(7_000, 3));
            f3.Write("hey_jude (live).mp3", TempFolder.RandomBytes(9_000, 4));
            f3.Write("notes.txt", TempFolder.RandomBytes(100, 5));

            var serverEvents = new ConcurrentQueue<PeerEvent>();
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync(serverEvents));
            var p1 = cleanup.Add(await StartPeerAsync(server, "alice", f1.Path));
            var p2 = cleanup.Add(await StartPeerAsync(server, "bob", f2.Path));
            var p3 = cleanup.Add(await StartPeerAsync(server, "carol", f3.Path));
            var searcher = cleanup.Add(await StartPeerAsync(server, "dave", null));
            await Poll.UntilAsync(() => server.IndexedFileCount == 5, "five files indexed");
            Assert.Equal(4, server.LoggedInPeerCount);

            var searcherEvents = new ConcurrentQueue<PeerEvent>();
            using var sub = searcher.Events.Subscribe(searcherEvents.Enqueue);
            var hits = await SearchAsync(searcher, "Hey Jude");
            Assert.Equal(new[] { "The Beatles - Hey Jude.mp3", "hey_jude (live).mp3" }, hits.Select(h => h.Name).OrderBy(n => n, StringComparer.Ordinal));
            var hit = hits.Single(h => h.PeerName == "alice");
            Assert.Equal(p1.EndPoint, hit.Source);
            Assert.Equal(jude.Length, hit.Size);
            Assert.Equal(ContentHash.Compute(jude), hit.ContentHash);
            Assert.Equal(1, hit.Hops);
            Assert.True(hit.Latency >= TimeSpan.Zero);

            var result = await searcher.DownloadAsync(hit, dest.Path, null).WaitAsync(Step);
            Assert.True(result.Verified);
            Assert.Equal(jude, File.ReadAllBytes(result.Path));
            // Live subscribers get events on the task pool, off the node's thread: wait for them to arrive.
            await Poll.UntilAsync(() => searcherEvents.Any(e => e.Type == PeerEventTypes.DownloadVerified), "DownloadVerified event");
            await Poll.UntilAsync(() => serverEvents.Any(e => e.Type == PeerEventTypes.SearchAnswered), "SearchAnswered event");
            var types = searcherEvents.Select(e => e.Type).ToList();
            Assert.Contains(PeerEventTypes.SearchHit, types);
            Assert.Contains(PeerEventTypes.DownloadStarted, types);
            Assert.Contains(PeerEventTypes.DownloadVerified, types);

            Assert.Equal(5, serverEvents.Count(e => e.Type == PeerEventTypes.FileShared));
            var shared = serverEvents.First(e => e.Type == PeerEventTypes.FileShared && (string)e["Name"] == "The Beatles - Hey Jude.mp3");
            Assert.Equal((long)jude.Length, shared["Size"]);
            Assert.Equal(ContentHash.Compute(jude).ToString(), shared["ContentHash"]);
            var answered = serverEvents.Single(e => e.Type == PeerEventTypes.SearchAnswered);
            Assert.Equal(2, answered["Hits"]);
            Assert.Equal("Hey Jude", serverEvents.Single(e => e.Type == PeerEventTypes.SearchReceived)["Query"]);

            // A peer that stops logs out and takes its files with it.
            await p3.StopAsync().WaitAsync(Step);
            await Poll.UntilAsync(() => server.IndexedFileCount == 3, "carol's files removed");
            Assert.Equal(new[] { "alice" }, (await SearchAsync(searcher, "hey jude")).Select(h => h.PeerName));
            await Poll.UntilAsync(() => serverEvents.Any(e => e.Type == PeerEventTypes.LoggedOut), "LoggedOut event");
            Assert.Equal("logged out", serverEvents.Last(e => e.Type == PeerEventTypes.ConnectionClosed)["Reason"]);
        }

        [Fact]
        public async Task Search_with_no_hits_completes_with_zero_hits()
        {
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            var peer = cleanup.Add(await StartPeerAsync(server, "lonely", null));
            Assert.Empty(await SearchAsync(peer, "nothing here"));
            Assert.Empty(await SearchAsync(peer, "!!!"));
        }

        [Fact]
        public async Task Max_results_limits_hits_and_the_next_search_gets_its_own_answers()
        {
            using var folder = new TempFolder();
            for (int i = 0; i < 30; i++) folder.Write($"track {i:00} hey jude.mp3", TempFolder.RandomBytes(10 + i, 100 + i));
            folder.Write("let it be.mp3", TempFolder.RandomBytes(10, 99));
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            cleanup.Add(await StartPeerAsync(server, "sharer", folder.Path));
            var peer = cleanup.Add(await StartPeerAsync(server, "searcher", null));
            await Poll.UntilAsync(() => server.IndexedFileCount == 31, "files indexed");

            Assert.Equal(5, (await SearchAsync(peer, "hey jude", 5)).Count);
            // The 25 results still on the wire belong to the first search, not to this one.
            Assert.Equal(new[] { "let it be.mp3" }, (await SearchAsync(peer, "let it be")).Select(h => h.Name));
            // Concurrent searches on one connection are answered in order.
            var a = SearchAsync(peer, "track 07");
            var b = SearchAsync(peer, "be");
            Assert.Equal("track 07 hey jude.mp3", (await a).Single().Name);
            Assert.Equal("let it be.mp3", (await b).Single().Name);
        }

        [Fact]
        public async Task A_throwing_callback_fails_its_search_but_not_the_session()
        {
            using var folder = new TempFolder();
            folder.Write("Hey Jude.mp3", TempFolder.RandomBytes(100, 1));
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            var peer = cleanup.Add(await StartPeerAsync(server, "clumsy", folder.Path));
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                peer.SearchAsync("jude", new SearchOptions { Timeout = Step }, _ => throw new InvalidOperationException("boom")).WaitAsync(Step));
            Assert.Single(await SearchAsync(peer, "jude"));
            Assert.True(peer.IsConnected);

            using var cts = new CancellationTokenSource();
            cts.Cancel();
            await peer.SearchAsync("jude", null, _ => { }, cts.Token).WaitAsync(Step);
        }

        [Fact]
        public async Task Publish_and_unshare_update_the_index()
        {
            using var folder = new TempFolder();
            using var extra = new TempFolder();
            string added = extra.Write("Yesterday.mp3", TempFolder.RandomBytes(1000, 8));
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            var peer = cleanup.Add(await StartPeerAsync(server, "pub", folder.Path));
            var published = await peer.PublishAsync(new[] { added }).WaitAsync(Step);
            Assert.Equal("Yesterday.mp3", published.Single().Name);
            await Poll.UntilAsync(() => server.IndexedFileCount == 1, "published file indexed");
            Assert.Single(await SearchAsync(peer, "yesterday"));

            using var raw = await RawNapsterClient.ConnectAsync(Live, server.EndPoint);
            await raw.LoginAsync("raw");
            await raw.SendAsync(NapsterMessageType.ShareFile, $"\"Something.mp3\" {ContentHash.Compute(new byte[] { 1 })} 1 0 0 0 0");
            await Poll.UntilAsync(() => server.IndexedFileCount == 2, "raw share indexed");
            await raw.SendAsync(NapsterMessageType.UnshareFile, "\"Something.mp3\"");
            await Poll.UntilAsync(() => server.IndexedFileCount == 1, "raw unshare applied");
        }

        [Fact]
        public async Task An_overlong_name_is_refused_with_a_message_and_the_session_goes_on()
        {
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            using var raw = await RawNapsterClient.ConnectAsync(Live, server.EndPoint);
            await raw.LoginAsync("longnames");
            string hash = ContentHash.Compute(new byte[] { 2 }).ToString();
            await raw.SendAsync(NapsterMessageType.ShareFile, $"\"{new string('x', NapsterIndexServer.MaxNameBytes + 1)}.mp3\" {hash} 1 0 0 0 0");
            await raw.SendAsync(NapsterMessageType.ShareFile, $"\"Short.mp3\" {hash} 1 0 0 0 0");

            var reply = await raw.ReadAsync();
            Assert.NotNull(reply);
            Assert.Equal(NapsterMessageType.ServerMessage, reply.Value.type);
            Assert.Contains($"{NapsterIndexServer.MaxNameBytes} bytes", reply.Value.text);
            await Poll.UntilAsync(() => server.IndexedFileCount == 1, "the short name indexed, the long one not");
            Assert.Equal(1, server.LoggedInPeerCount);
        }

        [Fact]
        public async Task Bad_frames_close_only_their_connection()
        {
            using var folder = new TempFolder();
            folder.Write("Hey Jude.mp3", TempFolder.RandomBytes(100, 1));
            var events = new ConcurrentQueue<PeerEvent>();
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync(events));
            cleanup.Add(await StartPeerAsync(server, "good", folder.Path));
            var searcher = cleanup.Add(await StartPeerAsync(server, "searcher", null));

            var attacks = new List<Func<RawNapsterClient, Task>>
            {
                c => c.SendRawAsync(new byte[] { 0xFF, 0xFF, 2, 0, 1, 2, 3 }),                         // oversized length
                c => c.SendAsync(NapsterMessageType.Search, "FILENAME CONTAINS \"x\" MAX_RESULTS 1"),   // search before login
                c => c.SendRawAsync(new byte[] { 5, 0, 2, 0, 0xC3, 0x28, 0xFF, 0xFE, 0x00 }),           // garbage login
                async c => { await c.SendRawAsync(new byte[] { 10, 0, 2, 0, (byte)'a' }); c.Dispose(); }, // truncated, then gone
                async c => { await c.LoginAsync("mallory"); await c.SendAsync(NapsterMessageType.ShareFile, "no quotes here"); },
                async c => { await c.LoginAsync("trent"); await c.SendAsync(NapsterMessageType.Search, "FILENAME NEAR \"x\""); },
            };
            foreach (var attack in attacks)
            {
                int before = events.Count(e => e.Type == PeerEventTypes.MalformedMessage);
                using var raw = await RawNapsterClient.ConnectAsync(Live, server.EndPoint);
                await attack(raw);
                await Poll.UntilAsync(() => events.Count(e => e.Type == PeerEventTypes.MalformedMessage) == before + 1, "MalformedMessage");
                // The server closed that connection (a read would time out, failing the test, if it had not).
                if (attack != attacks[3]) Assert.Null(await raw.ReadAsync());
                Assert.Single(await SearchAsync(searcher, "hey jude"));
            }
            Assert.Equal(NodeState.Running, server.State);
            await Poll.UntilAsync(() => server.LoggedInPeerCount == 2, "attackers logged out");
            Assert.Contains(events, e => e.Type == PeerEventTypes.ConnectionClosed && ((string)e["Reason"]).StartsWith("malformed message:"));
        }

        [Fact]
        public async Task Duplicate_nick_is_refused_with_an_error_and_the_first_login_stays()
        {
            await using var cleanup = new Cleanup();
            var server = cleanup.Add(await StartServerAsync());
            cleanup.Add(await StartPeerAsync(server, "same", null));
            var second = new NapsterPeer(Live, "same", HostPort.Parse(server.EndPoint), null, 0);
            var e = await Assert.ThrowsAsync<PeerException>(() => second.StartAsync().WaitAsync(Step));
            Assert.Equal(NapsterPeer.LoginRejectedErrorId, e.ErrorId);
            Assert.Equal(NodeState.Failed, second.State);
            Assert.Equal(1, server.LoggedInPeerCount);
        }

        [Fact]
        public async Task Unreachable_index_server_error_names_host_and_port()
        {
            // A port held by a socket that is bound but not listening: connections to it are refused, and no other test
            // can take it meanwhile (a port merely freed could be reused by a parallel test's listener, which accepts).
            using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            int port = ((System.Net.IPEndPoint)holder.LocalEndPoint).Port;
            var peer = new NapsterPeer(Live, "orphan", new HostPort("127.0.0.1", port), null, 0);
            var e = await Assert.ThrowsAsync<PeerException>(() => peer.StartAsync().WaitAsync(Step));
            Assert.Equal(PeerErrorIds.IndexServerUnreachable, e.ErrorId);
            Assert.Contains($"127.0.0.1:{port}", e.Message);
            Assert.Contains("Start-PeerNode -Protocol Napster -Role IndexServer", e.Message);
        }

        [Fact]
        public async Task Port_in_use_passes_through()
        {
            await using var cleanup = new Cleanup();
            var first = cleanup.Add(await StartServerAsync());
            var second = new NapsterIndexServer(Live, "index2", HostPort.Parse(first.EndPoint).Port);
            var e = await Assert.ThrowsAsync<PeerException>(() => second.StartAsync().WaitAsync(Step));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
        }

        [Fact]
        public async Task Peer_reconnects_after_the_server_restarts_on_the_same_port()
        {
            using var folder = new TempFolder();
            folder.Write("Hey Jude.mp3", TempFolder.RandomBytes(100, 1));
            await using var cleanup = new Cleanup();
            var server = await StartServerAsync();
            int port = HostPort.Parse(server.EndPoint).Port;
            var peer = cleanup.Add(await StartPeerAsync(server, "phoenix", folder.Path));
            var events = new ConcurrentQueue<PeerEvent>();
            using var sub = peer.Events.Subscribe(events.Enqueue);
            await server.StopAsync().WaitAsync(Step);
            await Poll.UntilAsync(() => events.Any(e => e.Type == PeerEventTypes.ConnectionClosed), "peer notices");
            var again = cleanup.Add(new NapsterIndexServer(Live, "index", port));
            await again.StartAsync().WaitAsync(Step);
            await Poll.UntilAsync(() => again.IndexedFileCount == 1 && peer.IsConnected, "peer back with its files");
            Assert.Single(await SearchAsync(peer, "jude"));
        }

        /// <summary>Stops every node a test started, newest first, even when the test fails.</summary>
        sealed class Cleanup : IAsyncDisposable
        {
            readonly List<PeerNodeBase> _nodes = new List<PeerNodeBase>();
            public T Add<T>(T node) where T : PeerNodeBase { _nodes.Add(node); return node; }
            public async ValueTask DisposeAsync()
            {
                for (int i = _nodes.Count - 1; i >= 0; i--)
                    try { await _nodes[i].StopAsync().WaitAsync(Step); } catch (Exception) { }
            }
        }
    }
}
