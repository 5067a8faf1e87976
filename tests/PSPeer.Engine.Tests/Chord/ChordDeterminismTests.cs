using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>The same seed gives the same run: joins, maintenance, a failure and lookups produce one trace, event for event.</summary>
    public class ChordDeterminismTests
    {
        static List<string> Trace(int seed)
        {
            var world = ChordWorld.Ring(12, seed, randomBootstrap: true);
            world.RunFor(TimeSpan.FromSeconds(20));
            world.Run(() => world.Nodes[2].StoreAsync("k", "v"));
            world.Hosts[5].Crash();
            world.RunFor(TimeSpan.FromSeconds(10));
            var lines = new List<string>(world.Trace);
            for (int i = 0; i < 10; i++)
            {
                var r = world.Run(() => world.Nodes[i == 5 ? 6 : i].LookupAsync("key " + i, i % 2 == 0 ? ChordLookupMode.Iterative : ChordLookupMode.Recursive));
                lines.Add($"{r.Owner} {r.Hops} {r.Retries} {r.Messages} {r.Latency.Ticks} {string.Join(",", r.Path)}");
            }
            lines.Add(string.Join(";", world.Nodes.Select(n => $"{n.Counters.DatagramsOut}/{n.Counters.DatagramsIn}")));
            return lines;
        }

        [Fact]
        public void Same_seed_same_trace_and_another_seed_another()
        {
            var first = Trace(31);
            var second = Trace(31);
            Assert.True(first.Count > 50, $"only {first.Count} lines traced");
            Assert.Equal(first, second);
            Assert.NotEqual(first, Trace(32));
        }
    }
}
