using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    /// <summary>The Napster system on the simulated runtime: same code, virtual time, one seed, one run.</summary>
    public class NapsterSimulationTests
    {
        const int ServerPort = 8888;
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);   // virtual time

        /// <summary>A simulated Napster network: one index server and peers with generated files.</summary>
        sealed class World
        {
            public readonly Simulation Sim;
            public readonly SimulatedHost ServerHost;
            public readonly NapsterIndexServer Server;
            public readonly List<NapsterPeer> Peers = new List<NapsterPeer>();
            public readonly List<SimulatedHost> PeerHosts = new List<SimulatedHost>();
            public readonly List<string> Trace = new List<string>();

            public World(int seed, double loss = 0)
            {
                Sim = new Simulation(new SimulationOptions { Seed = seed, Latency = TimeSpan.FromMilliseconds(15), Loss = loss });
                ServerHost = Sim.AddHost("index-host");
                Server = Watch(new NapsterIndexServer(ServerHost, "index", ServerPort));
                Run(() => Server.StartAsync());
            }

            public HostPort ServerAddress => new HostPort(ServerHost.HostAddress, ServerPort);

            public NapsterPeer AddPeer(string name, params (string name, int size)[] files)
            {
                var host = Sim.AddHost(name + "-host");
                foreach (var f in files) host.MemoryStorage.WriteFile("/share/" + f.name, Content(f.name, f.size));
                var peer = Watch(new NapsterPeer(host, name, ServerAddress, files.Length > 0 ? "/share" : null, 6699));
                PeerHosts.Add(host);
                Peers.Add(peer);
                Run(() => peer.StartAsync());
                return peer;
            }

            public static byte[] Content(string name, int size)
            {
                var bytes = new byte[size];
                // string.GetHashCode differs between processes; a trace must not.
                new Random(name.Aggregate(size, (h, c) => h * 31 + c)).NextBytes(bytes);
                return bytes;
            }

            T Watch<T>(T node) where T : PeerNodeBase
            {
                node.Events.Subscribe(e => Trace.Add(Format(e)));
                return node;
            }

            static string Format(PeerEvent e) =>
                $"{e.Time.Ticks} {e.Node} {e.Type} {e.Remote} {e.Message} | " + string.Join(", ", e.Data.Select(kv => $"{kv.Key}={kv.Value}"));

            public void Run(Func<Task> work)
            {
                var task = Sim.Spawn(work);
                Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
                task.GetAwaiter().GetResult();
            }

            public T Run<T>(Func<Task<T>> work)
            {
                var task = Sim.Spawn(work);
                Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
                return task.GetAwaiter().GetResult();
            }

            public List<SearchHit> Search(NapsterPeer via, string query, int max = 100) => Run(async () =>
            {
                var hits = new List<SearchHit>();
                await via.SearchAsync(query, new SearchOptions { MaxResults = max, Timeout = TimeSpan.FromSeconds(5) }, hits.Add);
                return hits;
            });

            public void StopAll()
            {
                foreach (var p in Peers) Run(() => p.StopAsync());
                Run(() => Server.StopAsync());
            }
        }

        [Fact]
        public void Index_semantics_hold_on_the_simulated_runtime()
        {
            var w = new World(seed: 11);
            w.AddPeer("alice", ("The Beatles - Hey Jude.mp3", 4000), ("Let It Be.mp3", 100));
            w.AddPeer("bob", ("hey_JUDE (live!).mp3", 300), ("Jude the Obscure.txt", 50));
            var searcher = w.AddPeer("dave");
            w.Sim.RunUntil(() => w.Server.IndexedFileCount == 4, Limit);

            var hits = w.Search(searcher, "HEY, jude");
            Assert.Equal(new[] { "The Beatles - Hey Jude.mp3", "hey_JUDE (live!).mp3" }, hits.Select(h => h.Name));
            var alice = hits[0];
            Assert.Equal($"{w.PeerHosts[0].HostAddress}:6699", alice.Source);
            Assert.Equal("alice", alice.PeerName);
            // One round trip over 15 ms links: the latency is virtual time, exactly measurable.
            Assert.True(alice.Latency >= TimeSpan.FromMilliseconds(30) && alice.Latency < TimeSpan.FromMilliseconds(100), alice.Latency.ToString());
            Assert.Single(w.Search(searcher, "hey jude", max: 1));
            Assert.Empty(w.Search(searcher, "hey jude obscure"));
            Assert.Empty(w.Search(searcher, "yesterday"));

            // Downloads go over the simulated links too, verified against the hash.
            var result = w.Run(() => searcher.DownloadAsync(alice, "/downloads", null));
            Assert.True(result.Verified);
            Assert.Equal(World.Content("The Beatles - Hey Jude.mp3", 4000), w.PeerHosts[2].MemoryStorage.ReadAllBytes(result.Path));
            w.StopAll();
        }

        [Fact]
        public void The_server_counts_every_search_it_answers_with_hits_or_none()
        {
            var w = new World(seed: 12);
            w.AddPeer("alice", ("The Beatles - Hey Jude.mp3", 400));
            var searcher = w.AddPeer("dave");
            w.Sim.RunUntil(() => w.Server.IndexedFileCount == 1, Limit);
            Assert.Equal(0, w.Server.SearchCount);
            Assert.Single(w.Search(searcher, "hey jude"));
            Assert.Empty(w.Search(searcher, "yesterday"));
            Assert.Equal(2, w.Server.SearchCount);   // what the dashboard shows as the index's searches
            w.StopAll();
        }

        [Fact]
        public void Publish_and_unpublish_reach_the_index()
        {
            var w = new World(seed: 3);
            var alice = w.AddPeer("alice", ("hey jude.mp3", 10), ("help.mp3", 20));
            w.PeerHosts[0].MemoryStorage.WriteFile("/new/Yesterday.mp3", World.Content("Yesterday.mp3", 30));
            var published = w.Run(() => alice.PublishAsync(new[] { "/new/Yesterday.mp3" }));
            Assert.Equal("Yesterday.mp3", published.Single().Name);
            Assert.True(w.Sim.RunUntil(() => w.Server.IndexedFileCount == 3, Limit));
            Assert.Single(w.Search(alice, "yesterday"));

            var help = alice.Shared.Files.Single(f => f.Name == "help.mp3");
            Assert.True(w.Run(() => alice.UnpublishAsync(help)));
            Assert.True(w.Sim.RunUntil(() => w.Server.IndexedFileCount == 2, Limit));
            Assert.Empty(w.Search(alice, "help"));
            Assert.Contains(w.Trace, t => t.Contains(" index FileUnshared ") && t.Contains("Name=help.mp3"));
            w.StopAll();
        }

        [Fact]
        public void Peers_leaving_or_crashing_take_their_files_with_them()
        {
            var w = new World(seed: 5);
            var alice = w.AddPeer("alice", ("hey jude.mp3", 10));
            w.AddPeer("bob", ("hey jude (cover).mp3", 10));
            var searcher = w.AddPeer("dave");
            w.Sim.RunUntil(() => w.Server.IndexedFileCount == 2, Limit);
            Assert.Equal(2, w.Search(searcher, "jude").Count);

            w.Run(() => alice.StopAsync());
            Assert.True(w.Sim.RunUntil(() => w.Server.IndexedFileCount == 1, Limit));
            Assert.Equal(new[] { "bob" }, w.Search(searcher, "jude").Select(h => h.PeerName));

            w.PeerHosts[1].Crash();
            Assert.True(w.Sim.RunUntil(() => w.Server.IndexedFileCount == 0 && w.Server.LoggedInPeerCount == 1, Limit));
            Assert.Empty(w.Search(searcher, "jude"));
            Assert.Contains(w.Trace, t => t.Contains("index LoggedOut") && t.Contains("Nick=bob"));
            w.StopAll();
        }

        [Fact]
        public void Peer_reconnects_with_backoff_after_a_server_crash_and_restart()
        {
            var w = new World(seed: 9);
            var alice = w.AddPeer("alice", ("hey jude.mp3", 10));
            w.ServerHost.Crash();
            w.Sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.False(alice.IsConnected);
            w.ServerHost.Restart();
            var again = new NapsterIndexServer(w.ServerHost, "index2", ServerPort);
            w.Run(() => again.StartAsync());
            Assert.True(w.Sim.RunUntil(() => again.IndexedFileCount == 1 && alice.IsConnected, TimeSpan.FromSeconds(120)));
            Assert.Single(w.Search(alice, "jude"));
            // Reconnect attempts while the server was down were spaced out, not a busy loop.
            int attempts = w.Trace.Count(t => t.Contains("alice Connected"));
            Assert.InRange(attempts, 2, 4);
            w.Run(() => alice.StopAsync());
            w.Run(() => again.StopAsync());
        }

        [Fact]
        public void A_file_published_while_reconnecting_reaches_the_index_once_the_peer_is_back()
        {
            var w = new World(seed: 11);
            var alice = w.AddPeer("alice", ("hey jude.mp3", 10));
            w.ServerHost.Crash();
            w.Sim.RunFor(TimeSpan.FromSeconds(2));
            Assert.False(alice.IsConnected);

            // Published with no session to tell: the next login must carry it.
            w.PeerHosts[0].MemoryStorage.WriteFile("/new/Yesterday.mp3", World.Content("Yesterday.mp3", 30));
            w.Run(() => alice.PublishAsync(new[] { "/new/Yesterday.mp3" }));
            w.ServerHost.Restart();
            var again = new NapsterIndexServer(w.ServerHost, "index2", ServerPort);
            w.Run(() => again.StartAsync());
            Assert.True(w.Sim.RunUntil(() => again.IndexedFileCount == 2 && alice.IsConnected, TimeSpan.FromSeconds(120)));
            Assert.Single(w.Search(alice, "yesterday"));

            // Publishing what is already shared sends nothing more: the index holds each file once.
            w.Run(() => alice.PublishAsync(new[] { "/new/Yesterday.mp3", "/share/hey jude.mp3" }));
            w.Sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2, again.IndexedFileCount);
            Assert.Single(w.Search(alice, "hey jude"));
            w.Run(() => alice.StopAsync());
            w.Run(() => again.StopAsync());
        }

        [Fact]
        public void A_search_made_while_reconnecting_waits_for_the_server_within_its_timeout()
        {
            var w = new World(seed: 13);
            // Bob searches for his own file: his re-login shares it before the session becomes current, so the
            // answer does not depend on which peer reconnects first.
            var bob = w.AddPeer("bob", ("hey jude.mp3", 10));
            w.ServerHost.Crash();
            w.Sim.RunFor(TimeSpan.FromSeconds(2));
            Assert.False(bob.IsConnected);

            // A short timeout while the server is gone: one clear error, not a hang.
            var failed = w.Sim.Spawn(() => bob.SearchAsync("jude", new SearchOptions { Timeout = TimeSpan.FromSeconds(1) }, _ => { }));
            Assert.True(w.Sim.RunUntilCompleted(failed, Limit));
            var e = Assert.IsType<PeerException>(failed.Exception?.InnerException);
            Assert.Equal(PeerErrorIds.IndexServerUnreachable, e.ErrorId);

            // A search with time to spare waits for the reconnect and then gets its answer.
            var hits = new List<SearchHit>();
            var waiting = w.Sim.Spawn(() => bob.SearchAsync("jude", new SearchOptions { Timeout = TimeSpan.FromSeconds(120) }, hits.Add));
            w.Sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.False(waiting.IsCompleted);
            w.ServerHost.Restart();
            var again = new NapsterIndexServer(w.ServerHost, "index2", ServerPort);
            w.Run(() => again.StartAsync());
            Assert.True(w.Sim.RunUntilCompleted(waiting, TimeSpan.FromSeconds(120)));
            Assert.True(waiting.IsCompletedSuccessfully, waiting.Exception?.ToString());
            Assert.Equal("hey jude.mp3", Assert.Single(hits).Name);
            w.Run(() => bob.StopAsync());
            w.Run(() => again.StopAsync());
        }

        [Fact]
        public void A_name_with_double_quotes_is_announced_with_single_ones_and_still_downloads()
        {
            var w = new World(seed: 17);
            var alice = w.AddPeer("alice", ("Say \"Hello\".mp3", 300));
            var bob = w.AddPeer("bob");
            Assert.True(w.Sim.RunUntil(() => w.Server.IndexedFileCount == 1, Limit));
            var hit = Assert.Single(w.Search(bob, "say hello"));
            Assert.Equal("Say 'Hello'.mp3", hit.Name);

            var result = w.Run(() => bob.DownloadAsync(hit, "/downloads", null));
            Assert.True(result.Verified);
            Assert.Equal(World.Content("Say \"Hello\".mp3", 300), w.PeerHosts[1].MemoryStorage.ReadAllBytes(result.Path));
            w.StopAll();
        }

        static List<string> DeterminismScenario(int seed)
        {
            var w = new World(seed, loss: 0.02);
            var rng = new Random(seed);
            var words = new[] { "hey", "jude", "let", "it", "be", "yesterday", "help", "abbey", "road", "live" };
            for (int p = 0; p < 6; p++)
            {
                var files = Enumerable.Range(0, 8).Select(i => ($"{words[rng.Next(10)]} {words[rng.Next(10)]} {words[rng.Next(10)]} {p}-{i}.mp3", 200 + rng.Next(3000))).ToArray();
                w.AddPeer("peer" + p, files);
            }
            var searcher = w.AddPeer("searcher");
            w.Sim.RunUntil(() => w.Server.IndexedFileCount == 48, Limit);

            var hitsByQuery = new List<string>();
            void SearchAll()
            {
                foreach (var q in new[] { "hey jude", "let it be", "road", "help live" })
                    hitsByQuery.Add(q + ": " + string.Join(";", w.Search(searcher, q).Select(h => $"{h.Name}@{h.PeerName}+{h.Latency.Ticks}")));
            }
            SearchAll();
            // Searches in flight while a peer crashes and another leaves.
            var pending = w.Sim.Spawn(async () =>
            {
                var hits = new List<SearchHit>();
                await Task.WhenAll(
                    searcher.SearchAsync("be", new SearchOptions { Timeout = TimeSpan.FromSeconds(3) }, hits.Add),
                    searcher.SearchAsync("hey", new SearchOptions { Timeout = TimeSpan.FromSeconds(3), MaxResults = 3 }, hits.Add));
                return hits.Count;
            });
            w.Sim.RunFor(TimeSpan.FromMilliseconds(20));
            w.PeerHosts[2].Crash();
            w.Run(() => w.Peers[4].StopAsync());
            Assert.True(w.Sim.RunUntilCompleted(pending, Limit));
            w.Sim.RunFor(TimeSpan.FromSeconds(2));
            SearchAll();
            var hit = w.Search(searcher, "mp3").First(h => h.PeerName == "peer0");
            w.Run(() => searcher.DownloadAsync(hit, "/dl", null));
            w.StopAll();
            var trace = new List<string>(w.Trace);
            trace.AddRange(hitsByQuery);
            trace.Add("in-flight hits " + pending.Result);
            return trace;
        }

        [Fact]
        public void Same_seed_gives_identical_event_traces()
        {
            var first = DeterminismScenario(42);
            var second = DeterminismScenario(42);
            Assert.True(first.Count > 150, $"trace too short to mean anything: {first.Count}");
            Assert.Contains(first, t => t.Contains(" index LoggedOut "));
            Assert.Contains(first, t => t.Contains(" searcher DownloadVerified "));
            Assert.Contains(first, t => t.Contains(" peer2 ConnectionClosed "));
            for (int i = 0; i < Math.Min(first.Count, second.Count); i++) Assert.Equal(first[i], second[i]);
            Assert.Equal(first.Count, second.Count);

            var other = DeterminismScenario(43);
            Assert.NotEqual(first, other);
        }
    }
}
