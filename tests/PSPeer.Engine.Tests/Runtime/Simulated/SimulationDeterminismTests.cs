// Tasks are read only after the simulation has run them to completion (or in-memory I/O that completes
// synchronously): nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The property the whole simulated runtime exists for: one seed, one run. A scenario of hosts sending
    /// random-sized messages at random times over lossy links of random latency, with a crash in the middle, is run
    /// twice and must produce the same trace, event for event; another seed must produce another trace.
    /// </summary>
    public class SimulationDeterminismTests
    {
        const int Port = 7000;

        sealed class Scenario
        {
            public readonly List<string> Trace = new List<string>();
            public int Acknowledged;
            public int Failed;
            public int Received;
            public long ExecutedWorkItems;
        }

        static Scenario Run(int seed, int hostCount, int messagesPerHost, int maxMessage, bool crashOne)
        {
            var sim = new Simulation(new SimulationOptions
            {
                Seed = seed,
                Latency = TimeSpan.FromMilliseconds(20),
                BandwidthBytesPerSecond = 1_000_000,
                Loss = 0.02,
            });
            var scenario = new Scenario();
            void Trace(SimulatedHost host, string what) => scenario.Trace.Add($"{sim.Elapsed.Ticks} {host.Name} {what}");

            var hosts = Enumerable.Range(0, hostCount).Select(i => sim.AddHost("h" + i)).ToList();
            // A few slow, long links chosen by the scenario's random source.
            for (int i = 0; i < hostCount / 4; i++)
                sim.SetLink(hosts[sim.Random.Next(hostCount)], hosts[sim.Random.Next(hostCount)],
                    TimeSpan.FromMilliseconds(sim.Random.Next(50, 300)), sim.Random.Next(50_000, 500_000));

            var ended = new int[hostCount];
            int endedTotal = 0;
            void StartNodes(SimulatedHost h, int messages)
            {
                sim.Post(async () =>
                {
                    var listener = await h.Transport.ListenAsync(Port);
                    while (true)
                    {
                        IConnection c;
                        try { c = await listener.AcceptAsync(); }
                        catch (ObjectDisposedException) { return; }
                        _ = ServeAsync(h, c);
                    }
                });
                sim.Post(() => _ = ClientAsync(h, messages));
            }
            foreach (var host in hosts) StartNodes(host, messagesPerHost);

            async Task ServeAsync(SimulatedHost h, IConnection c)
            {
                using (c)
                {
                    try
                    {
                        while (true)
                        {
                            var header = new byte[4];
                            int n = await c.Stream.ReadAsync(header, 0, 4);
                            if (n == 0) return;
                            if (n < 4) header = Concat(header, n, await ReadExactlyAsync(c.Stream, 4 - n));
                            int length = BitConverter.ToInt32(header, 0);
                            if (length < 0 || length > maxMessage) throw new InvalidDataException("bad length");
                            var body = await ReadExactlyAsync(c.Stream, length);
                            scenario.Received++;
                            Trace(h, $"recv {length} from {c.RemoteEndPoint} sum {body.Sum(b => b)}");
                            await c.Stream.WriteAsync(header, 0, 4);
                        }
                    }
                    catch (IOException e) { Trace(h, "serve-reset " + e.Message); }
                }
            }

            async Task ClientAsync(SimulatedHost h, int messages)
            {
                for (int m = 0; m < messages; m++)
                {
                    await h.Clock.Delay(TimeSpan.FromMilliseconds(h.Random.Next(1, 3000)));
                    var target = hosts[h.Random.Next(hostCount)];
                    var body = new byte[h.Random.Next(1, maxMessage)];
                    h.Random.NextBytes(body);
                    try
                    {
                        using (var c = await h.Transport.ConnectAsync(target.HostAddress, Port))
                        {
                            var framed = Concat(BitConverter.GetBytes(body.Length), 4, body);
                            await c.Stream.WriteAsync(framed, 0, framed.Length);
                            var ack = await ReadExactlyAsync(c.Stream, 4);
                            if (BitConverter.ToInt32(ack, 0) != body.Length) throw new InvalidDataException("wrong ack");
                            scenario.Acknowledged++;
                            Trace(h, $"acked {body.Length} by {target.Name}");
                        }
                    }
                    catch (Exception e) when (e is PeerException || e is IOException)
                    {
                        scenario.Failed++;
                        Trace(h, $"failed to {target.Name}: {e.GetType().Name}");
                    }
                    ended[h.Index]++;
                    endedTotal++;
                }
            }

            if (crashOne)
            {
                var victim = hosts[sim.Random.Next(hostCount)];
                sim.Schedule(TimeSpan.FromMilliseconds(1500), () => { Trace(victim, "crash"); victim.Crash(); });
                // The crashed host's nodes died with it (their timers never fire): restart starts them anew.
                sim.Schedule(TimeSpan.FromMilliseconds(4000), () =>
                {
                    Trace(victim, "restart");
                    victim.Restart();
                    StartNodes(victim, messagesPerHost - ended[victim.Index]);
                });
            }

            int expected = hostCount * messagesPerHost;
            Assert.True(sim.RunUntil(() => endedTotal == expected, TimeSpan.FromHours(1)),
                $"only {endedTotal} of {expected} exchanges ended");
            Assert.Equal(expected, scenario.Acknowledged + scenario.Failed);
            scenario.ExecutedWorkItems = sim.ExecutedWorkItems;
            return scenario;
        }

        static byte[] Concat(byte[] first, int firstLength, byte[] second)
        {
            var all = new byte[firstLength + second.Length];
            Buffer.BlockCopy(first, 0, all, 0, firstLength);
            Buffer.BlockCopy(second, 0, all, firstLength, second.Length);
            return all;
        }

        [Fact]
        public void The_same_seed_gives_the_same_trace_and_another_seed_another()
        {
            var first = Run(seed: 42, hostCount: 20, messagesPerHost: 5, maxMessage: 60_000, crashOne: true);
            var second = Run(seed: 42, hostCount: 20, messagesPerHost: 5, maxMessage: 60_000, crashOne: true);
            var other = Run(seed: 43, hostCount: 20, messagesPerHost: 5, maxMessage: 60_000, crashOne: true);

            Assert.True(first.Trace.Count > 100, $"trace too short: {first.Trace.Count}");
            Assert.True(first.Acknowledged > 50, $"too few exchanges: {first.Acknowledged}");
            Assert.Equal(first.Trace, second.Trace);
            Assert.Equal(first.ExecutedWorkItems, second.ExecutedWorkItems);
            Assert.NotEqual(first.Trace, other.Trace);
        }

        [Fact]
        public void A_thousand_hosts_exchange_messages()
        {
            var result = Run(seed: 5, hostCount: 1000, messagesPerHost: 3, maxMessage: 4_000, crashOne: false);
            Assert.Equal(3000, result.Acknowledged);
            Assert.Equal(0, result.Failed);
            Assert.Equal(3000, result.Received);
        }
    }
}
