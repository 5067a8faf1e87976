using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// One seed, one datagram trace: hosts gossip datagrams of random sizes to random peers over lossy, jittery links
    /// with a partition and a crash in the middle; two runs with the same seed log the same deliveries at the same
    /// virtual times, and another seed logs others.
    /// </summary>
    public class SimulatedDatagramDeterminismTests
    {
        static List<string> Run(int seed)
        {
            var sim = new Simulation(new SimulationOptions
            {
                Seed = seed,
                Latency = TimeSpan.FromMilliseconds(20),
                Jitter = TimeSpan.FromMilliseconds(15),
                Loss = 0.1,
                BandwidthBytesPerSecond = 200_000,
            });
            var trace = new List<string>();
            var hosts = Enumerable.Range(0, 12).Select(i => sim.AddHost("h" + i)).ToList();
            sim.SetLink(hosts[0], hosts[1], TimeSpan.FromMilliseconds(70), 50_000, 0.3, TimeSpan.FromMilliseconds(40));
            foreach (var host in hosts)
            {
                var h = host;
                h.Datagrams.Bind(9000, (socket, from, payload) =>
                {
                    trace.Add($"{sim.Elapsed.Ticks} {from} -> {h.Name} {payload.Count} {payload.Array[payload.Offset]}");
                    // Each delivery with hop budget left travels on to a peer chosen by the receiving host's own random source.
                    int hops = payload.Array[payload.Offset];
                    if (hops > 0)
                    {
                        var next = hosts[h.Random.Next(hosts.Count)];
                        var reply = new byte[1 + h.Random.Next(1500)];
                        reply[0] = (byte)(hops - 1);
                        socket.Send(reply, 0, reply.Length, new IPEndPoint(IPAddress.Parse(next.HostAddress), 9000));
                    }
                });
            }
            sim.Post(() =>
            {
                foreach (var h in hosts)
                    for (int k = 0; k < 4; k++)
                        sim.Schedule(TimeSpan.FromMilliseconds(sim.Random.Next(100)), () =>
                        h.Datagrams.Bind(0, (s, f, p) => { }).Send(new byte[] { 30 }, 0, 1, new IPEndPoint(IPAddress.Parse(hosts[sim.Random.Next(hosts.Count)].HostAddress), 9000)));
            });
            sim.RunFor(TimeSpan.FromMilliseconds(300));
            var split = sim.Partition(hosts.Take(4), hosts.Skip(8));
            hosts[5].Crash();
            sim.RunFor(TimeSpan.FromMilliseconds(300));
            split.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(5));
            trace.Add(sim.Statistics.ToString());
            return trace;
        }

        [Fact]
        public void The_same_seed_gives_the_same_datagram_trace()
        {
            var first = Run(11);
            var second = Run(11);
            Assert.True(first.Count > 100, $"only {first.Count} deliveries");
            Assert.Equal(first, second);
        }

        [Fact]
        public void Another_seed_gives_another_trace()
        {
            Assert.NotEqual(Run(11), Run(12));
        }
    }
}
