using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>A live ring over real UDP on loopback addresses 127.0.0.x, one node per address, ephemeral ports.</summary>
    public class ChordLiveTests
    {
        static ChordOptions LiveFast() => new ChordOptions
        {
            StabilizeInterval = TimeSpan.FromMilliseconds(200),
            FixFingersInterval = TimeSpan.FromMilliseconds(100),
            CheckPredecessorInterval = TimeSpan.FromMilliseconds(300),
            RpcTimeout = TimeSpan.FromMilliseconds(500),
        };

        [Fact]
        public async Task Five_nodes_on_loopback_addresses_form_a_ring_look_up_store_and_get()
        {
            var options = LiveFast();
            var nodes = new List<ChordNode>();
            try
            {
                for (int i = 0; i < 5; i++) nodes.Add(new ChordNode(new LiveRuntime("127.0.0." + (71 + i)), "live" + i, 0, options));
                await nodes[0].StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
                for (int i = 1; i < nodes.Count; i++) await nodes[i].JoinAsync(nodes[i - 1].Self.EndPoint).WaitAsync(TimeSpan.FromSeconds(10));
                var sorted = nodes.OrderBy(n => n.Self.Id).ToList();
                bool Converged() => sorted.Select((n, i) => n.Successors.Count > 0 && n.Successors[0].Id == sorted[(i + 1) % sorted.Count].Self.Id
                    && n.Predecessor != null && n.Predecessor.Id == sorted[(i + sorted.Count - 1) % sorted.Count].Self.Id).All(x => x);
                await Poll.UntilAsync(Converged, "the live ring to converge", TimeSpan.FromSeconds(20));

                var owner = sorted.FirstOrDefault(n => n.Self.Id.CompareTo(ChordId.FromKey("Hey Jude")) >= 0) ?? sorted[0];
                foreach (var mode in new[] { ChordLookupMode.Iterative, ChordLookupMode.Recursive })
                {
                    var result = await nodes[4].LookupAsync("Hey Jude", mode).WaitAsync(TimeSpan.FromSeconds(10));
                    Assert.True(result.Succeeded, result.Failure);
                    Assert.Equal(owner.Self.Id, result.Owner.Id);
                    Assert.Equal(nodes[4].Self.Id, result.Path[0].Id);
                }
                Assert.True((await nodes[1].StoreAsync("Hey Jude", "http://127.0.0.1:8080/get/0/Hey Jude.mp3").WaitAsync(TimeSpan.FromSeconds(10))).Succeeded);
                Assert.Equal(new[] { "http://127.0.0.1:8080/get/0/Hey Jude.mp3" }, await nodes[3].GetValuesAsync("Hey Jude").WaitAsync(TimeSpan.FromSeconds(10)));
                Assert.Equal("127.0.0.73", nodes[2].Self.EndPoint.Address.ToString());
                Assert.Equal(ChordId.FromEndPoint(nodes[2].EndPoint), nodes[2].Self.Id);
            }
            finally
            {
                foreach (var n in nodes) await n.StopAsync();
            }
        }

        [Fact]
        public async Task A_client_only_node_looks_up_and_stores_through_the_ring_without_joining_it()
        {
            var options = LiveFast();
            var ring = new List<ChordNode>();
            ChordNode client = null;
            try
            {
                for (int i = 0; i < 3; i++) ring.Add(new ChordNode(new LiveRuntime("127.0.0." + (81 + i)), "ring" + i, 0, options));
                await ring[0].StartAsync();
                for (int i = 1; i < ring.Count; i++) await ring[i].JoinAsync(ring[0].Self.EndPoint).WaitAsync(TimeSpan.FromSeconds(10));
                var clientOptions = LiveFast();
                clientOptions.ClientOnly = true;
                client = new ChordNode(new LiveRuntime("127.0.0.85"), "client", 0, clientOptions);
                Assert.Equal("Client", client.Role);
                await client.JoinAsync(ring[1].Self.EndPoint).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.False(client.InRing);
                var stored = await client.StoreAsync("from a client", "value").WaitAsync(TimeSpan.FromSeconds(10));
                Assert.True(stored.Succeeded, stored.Failure);
                Assert.Equal(new[] { "value" }, await ring[2].GetValuesAsync("from a client").WaitAsync(TimeSpan.FromSeconds(10)));
                var recursive = await client.LookupAsync("from a client", ChordLookupMode.Recursive).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.True(recursive.Succeeded, recursive.Failure);
                Assert.Equal(ring[1].Self.Id, recursive.Path[0].Id); // the first node asked is the bootstrap
                await Task.Delay(1000);
                Assert.DoesNotContain(ring, n => n.Predecessor?.Id == client.Self.Id || n.Successors.Any(s => s.Id == client.Self.Id));
            }
            finally
            {
                foreach (var n in ring) await n.StopAsync();
                if (client != null) await client.StopAsync();
            }
        }

        [Fact]
        public async Task A_node_leaving_a_live_ring_hands_its_keys_over_and_its_neighbours_point_past_it_at_once()
        {
            // No maintenance rounds at all: only the leave itself, over real UDP, can have told the neighbours.
            var options = new ChordOptions
            {
                StabilizeInterval = TimeSpan.MaxValue, FixFingersInterval = TimeSpan.MaxValue, CheckPredecessorInterval = TimeSpan.MaxValue,
                RefreshInterval = TimeSpan.MaxValue, RpcTimeout = TimeSpan.FromMilliseconds(500), Replicas = 1,
            };
            var nodes = new List<ChordNode>();
            try
            {
                for (int i = 0; i < 4; i++) nodes.Add(new ChordNode(new LiveRuntime("127.0.0." + (91 + i)), "leave" + i, 0, options));
                foreach (var n in nodes) await n.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
                var ring = nodes.OrderBy(n => n.Self.Id).ToList();
                for (int i = 0; i < 4; i++)
                    ring[i].SeedRoutingState(ring[(i + 3) % 4].Self, new[] { ring[(i + 1) % 4].Self, ring[(i + 2) % 4].Self, ring[(i + 3) % 4].Self }, null);
                var leaver = ring[1];
                // A key the leaver owns, with a value that is not UTF-8 text.
                string key = Enumerable.Range(0, 1000).Select(i => "k" + i).First(k => ChordId.FromKey(k).InOpenClosed(ring[0].Self.Id, leaver.Self.Id));
                var value = new byte[] { 0xC3, 0x50, 0xFF, 0x00, 0x80 };
                Assert.True((await ring[3].StoreAsync(key, value).WaitAsync(TimeSpan.FromSeconds(10))).Succeeded);
                Assert.DoesNotContain(ring[2].StoredItems(), i => i.KeyId == ChordId.FromKey(key));

                await leaver.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(10));

                Assert.Equal(ring[0].Self.Id, ring[2].Predecessor.Id);
                Assert.Equal(ring[2].Self.Id, ring[0].Successors[0].Id);
                // The keys may arrive a moment after the leave returns (a pull that timed out under load is followed by
                // pushes): wait for them, within a bound.
                await Poll.UntilAsync(() => ring[2].StoredItems().Any(i => i.KeyId == ChordId.FromKey(key)), "the successor to hold the leaver's key");
                Assert.Equal(value, Assert.Single(ring[2].StoredItems(), i => i.KeyId == ChordId.FromKey(key)).Values.Single());
                Assert.Equal(value, Assert.Single(await ring[3].GetValueBytesAsync(key).WaitAsync(TimeSpan.FromSeconds(10))));
            }
            finally
            {
                foreach (var n in nodes) await n.StopAsync();
            }
        }
    }
}
