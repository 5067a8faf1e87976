using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// One seed, one trace through NATs: hosts behind NATs of every kind and public hosts gossip datagrams to the
    /// endpoints they have seen (so mappings are made, refreshed, expire and filter); two runs with the same seed log
    /// the same deliveries from the same translated endpoints, and another seed logs others.
    /// </summary>
    public class SimulatedNatDeterminismTests
    {
        static List<string> Run(int seed)
        {
            var sim = new Simulation(new SimulationOptions { Seed = seed, Latency = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(10), Loss = 0.05 });
            var trace = new List<string>();
            var hosts = new List<SimulatedHost>();
            var nats = new List<SimulatedNat>();
            var kinds = (NatKind[])Enum.GetValues(typeof(NatKind));
            for (int i = 0; i < 12; i++)
            {
                if (i % 3 == 0) hosts.Add(sim.AddHost("p" + i));
                else
                {
                    var options = NatOptions.For(kinds[i % kinds.Length]);
                    options.MappingTimeout = TimeSpan.FromSeconds(3);
                    options.Hairpinning = i % 2 == 0;
                    nats.Add(sim.AddNat("nat" + i, options));
                    hosts.Add(sim.AddHost("h" + i, nats[nats.Count - 1]));
                }
            }
            var known = hosts.Where(h => !h.IsBehindNat).Select(h => new IPEndPoint(IPAddress.Parse(h.HostAddress), 9000)).ToList();
            var sockets = new Dictionary<SimulatedHost, PSPeer.Engine.Runtime.IDatagramSocket>();
            foreach (var host in hosts)
            {
                var h = host;
                sockets[h] = h.Datagrams.Bind(9000, (socket, from, payload) =>
                {
                    trace.Add($"{sim.Elapsed.Ticks} {from} -> {h.Name} {payload.Array[payload.Offset]}");
                    known.Add(from);
                    int hops = payload.Array[payload.Offset];
                    if (hops > 0)
                    {
                        var to = h.Random.Next(2) == 0 ? from : known[h.Random.Next(known.Count)];
                        var delay = TimeSpan.FromMilliseconds(h.Random.Next(4000));
                        h.Clock.Schedule(delay, () => socket.Send(new[] { (byte)(hops - 1) }, 0, 1, to));
                    }
                });
            }
            foreach (var h in hosts)
            {
                var to = known[h.Random.Next(known.Count)];
                sim.Post(() => sockets[h].Send(new byte[] { 8 }, 0, 1, to));
            }
            sim.RunFor(TimeSpan.FromSeconds(60));
            // What each NAT holds and dropped is part of the trace too.
            trace.Add("nats " + string.Join(",", nats.Select(n => $"{n.MappingCount}/{n.Dropped}")) + " dropped " + sim.Statistics.DatagramsDropped);
            return trace;
        }

        [Fact]
        public void The_same_seed_gives_the_same_trace_through_NATs_and_another_seed_another()
        {
            var first = Run(7);
            var second = Run(7);
            Assert.True(first.Count > 20, $"only {first.Count} deliveries: the scenario is too quiet to prove anything");
            Assert.Contains(first, line => line.Contains(" 10.") && line.Contains("-> p"));
            Assert.Contains(first, line => line.Contains("-> h"));   // answers got back in through the NATs
            Assert.Matches(@"nats .*[1-9]\d*/[1-9]", first.Last());  // and some NAT filtered something
            Assert.Equal(first, second);
            Assert.NotEqual(first, Run(8));
        }
    }
}
