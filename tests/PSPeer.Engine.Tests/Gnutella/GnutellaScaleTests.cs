using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A random graph of a thousand ultrapeers: the flood's reach per TTL and its message bound still hold.</summary>
    public class GnutellaScaleTests
    {
        internal static GnutellaWorld RandomGraph(int count, int degree, int seed, int holders)
        {
            var world = new GnutellaWorld(seed);
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
                world.Add("n" + i, files: i % (count / holders) == 0 ? new[] { "hey jude " + i + ".mp3" } : new string[0]);
            // A ring keeps it connected; random chords bring the average degree up.
            var edges = new HashSet<(int, int)>();
            for (int i = 0; i < count; i++) edges.Add((i, (i + 1) % count));
            while (edges.Count < count * degree / 2)
            {
                int a = random.Next(count), b = random.Next(count);
                if (a == b || edges.Contains((a, b)) || edges.Contains((b, a))) continue;
                edges.Add((a, b));
            }
            foreach (var (a, b) in edges)
            {
                var from = world.Nodes[a];
                var to = world.Nodes[b];
                world.Sim.Spawn(() => from.ConnectAsync(world.Address(to)));
                world.Edges.Add((a, b));
            }
            world.Settle(5);
            return world;
        }

        [Fact]
        public void A_thousand_node_flood_reaches_the_bfs_ball_with_at_most_two_queries_per_edge()
        {
            var world = RandomGraph(1000, 4, 7, 20);
            Assert.All(world.Nodes, n => Assert.True(n.ConnectionCount >= 2));
            var dist = world.Distances(0);
            long sentBefore = world.Nodes.Sum(n => GnutellaWorld.Sent(n, GnutellaPayloadType.Query));
            var firstBefore = world.Nodes.Select(GnutellaWorld.FirstCopies).ToArray();

            var hits = world.Search(world.Nodes[0], "hey jude", 4, timeoutSeconds: 5);

            var reached = Enumerable.Range(1, 999).Where(i => GnutellaWorld.FirstCopies(world.Nodes[i]) > firstBefore[i]).ToList();
            Assert.Equal(Enumerable.Range(1, 999).Where(i => dist[i] <= 4).ToList(), reached);
            long sent = world.Nodes.Sum(n => GnutellaWorld.Sent(n, GnutellaPayloadType.Query)) - sentBefore;
            Assert.True(sent <= 2 * world.Edges.Count, $"{sent} queries on {world.Edges.Count} edges");
            var holders = Enumerable.Range(1, 999).Where(i => i % 50 == 0 && dist[i] <= 4).ToList();
            Assert.Equal(holders.Count, hits.Count);
            foreach (var h in hits) Assert.Equal(dist[int.Parse(h.Name.Split(' ', '.')[2])], h.Hops);
        }
    }
}
