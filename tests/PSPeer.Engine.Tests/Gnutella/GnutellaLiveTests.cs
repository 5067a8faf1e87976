using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;
using PSPeer.Engine.Tests.Support;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Servents on loopback sockets: bootstrap from one another, search, download over HTTP and by push.</summary>
    public class GnutellaLiveTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(20);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;

        static async Task<GnutellaServent> StartAsync(List<GnutellaServent> started, string name, GnutellaRole role, string folder,
            GnutellaServent bootstrap = null, bool firewalled = false)
        {
            // A leaf keeps one ultrapeer here, so the path a - b - c is the only one and the hit is two hops away.
            // Degree 6, the mesh these tests were written for: at the live default of 32 a dozen ultrapeers on one machine
            // form a near-clique, and twenty concurrent TTL-7 floods then trip the per-link query rate limit.
            var options = new GnutellaOptions { Role = role, Port = 0, SharedPath = folder, Firewalled = firewalled, LeafUltrapeerLinks = 1, UltrapeerLinkTarget = 6 };
            if (bootstrap != null) options.Bootstrap.Add(HostPort.Parse(bootstrap.EndPoint));
            // Twenty servents on 127.0.0.1 link to one hub: its per-address limit must hold them all.
            var servent = new GnutellaServent(Live, name, options) { Limits = new ConnectionLimits { MaxConnectionsPerAddress = 64 } };
            started.Add(servent);
            await servent.StartAsync().WaitAsync(Step);
            return servent;
        }

        // Every leaf's QRP table is complete at the ultrapeers it is linked to, so a query can pass QRP to it: a condition
        // to wait for, not a guess at how long it takes. (Counting RouteTableUpdate messages is not enough: ultrapeers
        // also send each other last-hop tables, so the sum could be reached before the last leaf's table was in.)
        static Task WaitForQrpAsync(IEnumerable<GnutellaServent> leaves, IEnumerable<GnutellaServent> ultrapeers)
        {
            return Poll.UntilAsync(() =>
            {
                int leafLinks = leaves.Sum(l => l.ConnectionCount);
                int tablesIn = ultrapeers.Sum(u => u.Links.Count(link =>
                    link.RemoteIsLeaf && !link.IsClosed && link.QueryRouteTable is { } table && HasFiles(table)));
                return leafLinks > 0 && tablesIn >= leafLinks;
            }, "the leaves' QRP tables");
        }

        static bool HasFiles(PSPeer.Engine.Gnutella.Wire.QueryRouteTable table)
        {
            lock (table) return table.IsComplete && table.PresentCount > 0;
        }

        static async Task StopAllAsync(List<GnutellaServent> started)
        {
            foreach (var s in started) await s.StopAsync().WaitAsync(Step);
        }

        static async Task<List<SearchHit>> SearchAsync(GnutellaServent from, string query, int? ttl = null)
        {
            var hits = new List<SearchHit>();
            await from.SearchAsync(query, new SearchOptions { Ttl = ttl, MaxResults = 10, Timeout = TimeSpan.FromSeconds(5) }, h => { lock (hits) hits.Add(h); }).WaitAsync(Step);
            lock (hits) return hits.ToList();
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Three_servents_bootstrap_search_and_download_byte_identical(bool firewalled)
        {
            using var shared = new TempFolder();
            using var dest = new TempFolder();
            byte[] jude = TempFolder.RandomBytes(400_000, 7);
            shared.Write("The Beatles - Hey Jude.mp3", jude);
            shared.Write("notes.txt", TempFolder.RandomBytes(100, 8));
            var started = new List<GnutellaServent>();
            try
            {
                var a = await StartAsync(started, "a", GnutellaRole.Ultrapeer, null);
                var b = await StartAsync(started, "b", GnutellaRole.Ultrapeer, null, bootstrap: a);
                var c = await StartAsync(started, "c", GnutellaRole.Leaf, shared.Path, bootstrap: b, firewalled: firewalled);
                await Poll.UntilAsync(() => a.ConnectionCount == 1 && b.ConnectionCount == 2 && c.ConnectionCount == 1, "a - b - c links");
                await WaitForQrpAsync(new[] { c }, new[] { a, b });

                var hits = await SearchAsync(a, "Hey Jude");
                var hit = Assert.Single(hits);
                Assert.Equal("The Beatles - Hey Jude.mp3", hit.Name);
                Assert.Equal(2, hit.Hops);
                Assert.Equal(c.EndPoint, hit.Source);
                Assert.Equal(firewalled, hit.NeedsPush);

                var result = await a.DownloadAsync(hit, dest.Path, null).WaitAsync(Step);
                Assert.True(result.Verified);
                Assert.Equal(jude, File.ReadAllBytes(result.Path));
            }
            finally
            {
                await StopAllAsync(started);
            }
        }

        [Fact]
        public async Task Twenty_servents_answer_concurrent_searches_from_many_threads()
        {
            using var shared = new TempFolder();
            var started = new List<GnutellaServent>();
            var events = new System.Collections.Concurrent.ConcurrentQueue<PeerEvent>();
            try
            {
                var ultrapeers = new List<GnutellaServent>();
                for (int i = 0; i < 12; i++)
                {
                    var u = await StartAsync(started, "u" + i, GnutellaRole.Ultrapeer, null, bootstrap: i == 0 ? null : ultrapeers[0]);
                    u.EventsInline.Subscribe(events.Enqueue);   // in step: the absence checks below see every event
                    ultrapeers.Add(u);
                }
                var leaves = new List<GnutellaServent>();
                for (int i = 0; i < 8; i++)
                {
                    shared.Write($"leaf{i}/track {i} of the album.mp3", TempFolder.RandomBytes(1000 + i, 20 + i));
                    var l = await StartAsync(started, "l" + i, GnutellaRole.Leaf, Path.Combine(shared.Path, "leaf" + i), bootstrap: ultrapeers[11 - i]);
                    l.EventsInline.Subscribe(events.Enqueue);
                    leaves.Add(l);
                }
                // A star around u0 (leaves at most four hops apart), with more links as AutoConnect adds them.
                await Poll.UntilAsync(() => ultrapeers.Skip(1).All(u => u.UltrapeerLinkCount >= 1) && leaves.All(l => l.ConnectionCount == 1), "the star is up");
                await WaitForQrpAsync(leaves, ultrapeers);

                // Every node searches at once, from the thread pool; each must find all eight tracks.
                int ExpectedHits(GnutellaServent n) => leaves.Contains(n) ? 7 : 8;   // a leaf does not find its own file
                var searches = started.Select(n => Task.Run(async () =>
                {
                    var hits = new List<SearchHit>();
                    await n.SearchAsync("album", new SearchOptions { Ttl = 7, MaxResults = ExpectedHits(n), Timeout = TimeSpan.FromSeconds(10) }, h => hits.Add(h));
                    return (n, hits);
                })).ToList();
                var results = await Task.WhenAll(searches).WaitAsync(Step + Step);
                foreach (var (node, hits) in results)
                {
                    int expected = ExpectedHits(node);
                    Assert.True(hits.Count == expected, $"{node.Name} found {hits.Count} of {expected}; rate-limited {events.Count(e => e.Type == PeerEventTypes.RateLimited)}, " +
                        $"dup {started.Sum(x => x.Counters.QueriesDroppedDuplicate)}, filtered {started.Sum(x => x.Counters.QueriesFilteredByQrp)}, queue {started.Sum(x => x.Counters.MessagesDroppedQueueFull)}, " +
                        $"hitdrop {started.Sum(x => x.Counters.HitsDroppedUnknownQuery)}, first {string.Join(" ", started.Select(x => x.Name + ":" + (x.Counters.QueriesReceived - x.Counters.QueriesDroppedDuplicate) + "/" + x.Counters.QueriesForwarded + "/" + x.Counters.HitsSent))}, links {string.Join(" ", started.Select(x => x.Name + ":" + x.UltrapeerLinkCount + "/" + x.LeafLinkCount))}");
                }
                Assert.All(started, n => Assert.Equal(NodeState.Running, n.State));
                var dropped = events.Where(e => e.Type == PeerEventTypes.HitDropped).Select(e => e.Node + ": " + e.Message).ToList();
                Assert.True(dropped.Count == 0, string.Join("; ", dropped));
                Assert.DoesNotContain(events, e => e.Type == PeerEventTypes.ConnectionClosed && e.Message.StartsWith("internal error"));
                Assert.DoesNotContain(events, e => e.Type == PeerEventTypes.MalformedMessage);
            }
            finally
            {
                await StopAllAsync(started);
            }
        }

        [Fact]
        public async Task Malformed_bytes_close_only_their_link_live()
        {
            var started = new List<GnutellaServent>();
            try
            {
                var a = await StartAsync(started, "a", GnutellaRole.Ultrapeer, null);
                var b = await StartAsync(started, "b", GnutellaRole.Ultrapeer, null, bootstrap: a);
                await Poll.UntilAsync(() => a.ConnectionCount == 1, "a - b link");
                var raw = await RawGnutellaClient.ConnectAsync(Live, HostPort.Parse(a.EndPoint)).WaitAsync(Step);
                await Poll.UntilAsync(() => a.ConnectionCount == 2, "raw link");
                var junk = new byte[23];
                junk[16] = 0x77;   // unknown payload type
                await raw.SendAsync(junk);
                await RawGnutellaClient.ReadToEndAsync(raw.Connection).WaitAsync(Step);
                raw.Connection.Dispose();
                await Poll.UntilAsync(() => a.ConnectionCount == 1, "the raw link closed");
                Assert.Equal(NodeState.Running, a.State);
                Assert.Equal(1, b.ConnectionCount);
            }
            finally
            {
                await StopAllAsync(started);
            }
        }

        [GnutellaCurlFact]
        public async Task Curl_fetches_a_file_from_the_servent_port()
        {
            using var shared = new TempFolder();
            using var dest = new TempFolder();
            byte[] data = TempFolder.RandomBytes(200_000, 9);
            shared.Write("Hey Jude.mp3", data);
            var started = new List<GnutellaServent>();
            try
            {
                var s = await StartAsync(started, "s", GnutellaRole.Ultrapeer, shared.Path);
                string output = Path.Combine(dest.Path, "out.mp3");
                var psi = new ProcessStartInfo(CurlInteropTests.FindCurl()) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { "-s", "-f", "-o", output, $"http://{s.EndPoint}/get/0/Hey%20Jude.mp3" }) psi.ArgumentList.Add(arg);
                using var curl = Process.Start(psi);
                await curl.WaitForExitAsync().WaitAsync(Step);
                Assert.Equal(0, curl.ExitCode);
                Assert.Equal(data, File.ReadAllBytes(output));
            }
            finally
            {
                await StopAllAsync(started);
            }
        }
    }

    /// <summary>A fact that reports itself skipped, saying what to install, where curl is missing.</summary>
    public sealed class GnutellaCurlFactAttribute : FactAttribute
    {
        public GnutellaCurlFactAttribute()
        {
            if (CurlInteropTests.FindCurl() == null) Skip = "curl is not installed (apt-get install curl): the curl check of the Gnutella port did not run.";
        }
    }
}
