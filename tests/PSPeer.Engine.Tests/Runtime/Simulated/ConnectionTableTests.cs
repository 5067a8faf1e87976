using System;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>Ends find their peers by number (ConnectionTable), and a reused slot never hands an old end a stranger.</summary>
    public class ConnectionTableTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void Each_end_finds_the_other_until_both_are_closed_and_then_neither_does()
        {
            var (sim, a, b, client, server) = Pair();
            var c = (SimulatedStream)client;
            var s = (SimulatedStream)server;
            Assert.Same(s, c.Peer);
            Assert.Same(c, s.Peer);
            Assert.Same(b, c.RemoteHost);
            Assert.Same(a, s.RemoteHost);

            c.Dispose();
            s.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Null(c.Peer);
            Assert.Null(s.Peer);
            Assert.Equal(0, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
        }

        [Fact]
        public void A_closed_connection_s_slot_goes_to_the_next_one_and_the_old_ends_do_not_see_the_new_ends()
        {
            var (sim, a, b, client, server) = Pair();
            var oldClient = (SimulatedStream)client;
            var oldServer = (SimulatedStream)server;
            oldClient.Dispose();
            oldServer.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(1));

            var next = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7001);
                var accept = listener.AcceptAsync();
                var dialled = await a.Transport.ConnectAsync(b.HostAddress, 7001);
                return ((SimulatedStream)dialled, (SimulatedStream)await accept);
            }, Limit);
            Assert.Equal(oldClient.End, next.Item1.End);   // the slot was reused
            Assert.Same(next.Item2, next.Item1.Peer);
            Assert.Same(next.Item1, next.Item2.Peer);
            Assert.Null(oldClient.Peer);
            Assert.Null(oldServer.Peer);
        }

        [Fact]
        public void Thousands_of_connections_across_the_tables_chunks_find_their_peers_and_reuse_freed_slots()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var network = a.Network;
            var ends = new System.Collections.Generic.List<(SimulatedStream client, SimulatedStream server)>();
            for (int i = 0; i < 3_000; i++) ends.Add(network.CreateConnection(a, b, 7000));   // 6,000 ends: several chunks
            foreach (var (c, s) in ends)
            {
                Assert.Same(s, c.Peer);
                Assert.Same(c, s.Peer);
                Assert.Equal(c.End + 1, s.End);
            }
            // Every third connection goes (both ends reset); its slot is the next connection's.
            var freed = new System.Collections.Generic.HashSet<int>();
            for (int i = 0; i < ends.Count; i += 3)
            {
                freed.Add(ends[i].client.End);
                ends[i].client.ResetBoth("test", "test");
                Assert.Null(ends[i].client.Peer);
                Assert.Null(ends[i].server.Peer);
            }
            for (int i = 0; i < freed.Count; i++)
            {
                var (c, s) = network.CreateConnection(a, b, 7000);
                Assert.Contains(c.End, freed);
                Assert.Same(s, c.Peer);
                Assert.Same(c, s.Peer);
            }
            for (int i = 1; i < ends.Count; i += 3) Assert.Same(ends[i].server, ends[i].client.Peer);
            Assert.Equal(3_000, a.OpenConnectionCount);
        }

        [Fact]
        public void Data_sent_to_an_end_reset_on_its_own_side_is_dropped_and_the_sender_stays_open()
        {
            var (sim, a, b, client, server) = Pair();
            var s = (SimulatedStream)server;
            s.Reset("test reset");
            Assert.Null(((SimulatedStream)client).Peer);   // the reset end gave its entry back
            var error = sim.Run(async () =>
            {
                try
                {
                    await client.Stream.WriteAsync(new byte[1], 0, 1);
                    await sim.Clock.Delay(TimeSpan.FromSeconds(1));
                    return null;
                }
                catch (System.IO.IOException e) { return e; }
            }, Limit);
            // The segment to the finished end was dropped: the dialling end is still open until told otherwise.
            Assert.Null(error);
            Assert.Equal(1, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
        }
    }
}
