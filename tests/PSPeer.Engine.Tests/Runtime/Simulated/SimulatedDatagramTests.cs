using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Simulated datagrams: they arrive after the link's latency, from the sender's address; bandwidth spaces them;
    /// loss, partitions, crashed hosts and unbound ports drop them silently; jitter reorders them; and a seed
    /// reproduces the exact trace (see SimulatedDatagramDeterminismTests).
    /// </summary>
    public class SimulatedDatagramTests
    {
        static IPEndPoint At(SimulatedHost host, int port) => new IPEndPoint(IPAddress.Parse(host.HostAddress), port);

        sealed class Inbox
        {
            public readonly List<(TimeSpan at, IPEndPoint from, byte[] data)> Items = new List<(TimeSpan, IPEndPoint, byte[])>();
            readonly Simulation _sim;
            public Inbox(Simulation sim) => _sim = sim;
            public void Receive(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload) =>
                Items.Add((_sim.Elapsed, from, payload.ToArray()));
        }

        [Fact]
        public void A_datagram_arrives_after_the_latency_from_the_senders_address_and_port()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(25) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var inbox = new Inbox(sim);
            var sb = b.Datagrams.Bind(6881, inbox.Receive);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() => sa.Send(new byte[] { 1, 2, 3, 4, 5 }, 1, 3, At(b, 6881)));
            sim.RunFor(TimeSpan.FromSeconds(1));
            var item = Assert.Single(inbox.Items);
            Assert.Equal(TimeSpan.FromMilliseconds(25), item.at);
            Assert.Equal(new byte[] { 2, 3, 4 }, item.data);
            Assert.Equal(At(a, sa.Port), item.from);
            Assert.Equal(b.HostAddress + ":6881", sb.EndPoint);
            Assert.Equal(1, sim.Statistics.DatagramsDelivered);
        }

        [Fact]
        public void A_reply_to_the_from_address_reaches_the_sender()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            b.Datagrams.Bind(7, (s, from, p) => s.Send(p.Array, p.Offset, p.Count, from)); // an echo service
            var inbox = new Inbox(sim);
            var sa = a.Datagrams.Bind(0, inbox.Receive);
            sim.Post(() => sa.Send(new byte[] { 42 }, 0, 1, At(b, 7)));
            sim.RunFor(TimeSpan.FromSeconds(1));
            var item = Assert.Single(inbox.Items);
            Assert.Equal(TimeSpan.FromMilliseconds(20), item.at);
            Assert.Equal(At(b, 7), item.from);
        }

        [Fact]
        public void Bandwidth_spaces_datagrams_on_the_senders_uplink_counting_udp_headers()
        {
            // 100,000 B/s: a 972-byte payload plus 28 bytes of headers takes 10 ms on the wire.
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(5), BandwidthBytesPerSecond = 100_000 });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var c = sim.AddHost("c");
            var inboxB = new Inbox(sim);
            var inboxC = new Inbox(sim);
            b.Datagrams.Bind(1, inboxB.Receive);
            c.Datagrams.Bind(1, inboxC.Receive);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() =>
            {
                sa.Send(new byte[972], 0, 972, At(b, 1));
                sa.Send(new byte[972], 0, 972, At(c, 1));
                sa.Send(new byte[972], 0, 972, At(b, 1));
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(new[] { 15.0, 35.0 }, inboxB.Items.Select(i => i.at.TotalMilliseconds));
            Assert.Equal(new[] { 25.0 }, inboxC.Items.Select(i => i.at.TotalMilliseconds));
        }

        [Fact]
        public void A_pair_override_changes_that_pair_only()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var c = sim.AddHost("c");
            sim.SetLink(a, b, TimeSpan.FromMilliseconds(100));
            var inboxB = new Inbox(sim);
            var inboxC = new Inbox(sim);
            b.Datagrams.Bind(1, inboxB.Receive);
            c.Datagrams.Bind(1, inboxC.Receive);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() => { sa.Send(new byte[1], 0, 1, At(b, 1)); sa.Send(new byte[1], 0, 1, At(c, 1)); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(inboxB.Items).at);
            Assert.Equal(TimeSpan.FromMilliseconds(10), Assert.Single(inboxC.Items).at);
        }

        [Fact]
        public void Partitions_crashes_and_unbound_ports_drop_datagrams_silently()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var c = sim.AddHost("c");
            var inboxB = new Inbox(sim);
            var inboxC = new Inbox(sim);
            b.Datagrams.Bind(1, inboxB.Receive);
            c.Datagrams.Bind(1, inboxC.Receive);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            var split = sim.Partition(new[] { a }, new[] { b });
            sim.Post(() =>
            {
                sa.Send(new byte[1], 0, 1, At(b, 1));                               // partitioned
                sa.Send(new byte[1], 0, 1, At(c, 2));                               // nothing bound there
                sa.Send(new byte[1], 0, 1, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1)); // nobody has that address
                sa.Send(new byte[1], 0, 1, At(c, 1));                               // arrives
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Empty(inboxB.Items);
            Assert.Single(inboxC.Items);
            split.Dispose();
            c.Crash();
            sim.Post(() => { sa.Send(new byte[1], 0, 1, At(b, 1)); sa.Send(new byte[1], 0, 1, At(c, 1)); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Single(inboxB.Items);
            Assert.Single(inboxC.Items);
            Assert.Equal(4, sim.Statistics.DatagramsDropped);
            Assert.Equal(2, sim.Statistics.DatagramsDelivered);
        }

        [Fact]
        public void A_datagram_in_flight_to_a_host_that_crashes_is_dropped()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(50) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var inbox = new Inbox(sim);
            b.Datagrams.Bind(1, inbox.Receive);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() => sa.Send(new byte[1], 0, 1, At(b, 1)));
            sim.RunFor(TimeSpan.FromMilliseconds(20));
            b.Crash();
            b.Restart();
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Empty(inbox.Items);
        }

        [Fact]
        public void Loss_drops_about_the_configured_fraction()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 3, Loss = 0.25 });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            int received = 0;
            b.Datagrams.Bind(1, (s, f, p) => received++);
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() => { for (int i = 0; i < 4000; i++) sa.Send(new byte[8], 0, 8, At(b, 1)); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.InRange(received, 2800, 3200);
            Assert.Equal(4000 - received, sim.Statistics.DatagramsLost);
        }

        [Fact]
        public void Jitter_delays_within_its_bound_and_may_reorder()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 5, Latency = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(20) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var order = new List<(int n, TimeSpan at)>();
            b.Datagrams.Bind(1, (s, f, p) => order.Add((p.Array[p.Offset], sim.Elapsed)));
            var sa = a.Datagrams.Bind(0, (s, f, p) => { });
            sim.Post(() => { for (byte i = 0; i < 50; i++) sa.Send(new[] { i }, 0, 1, At(b, 1)); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(50, order.Count);
            Assert.All(order, o => Assert.InRange(o.at, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30)));
            Assert.NotEqual(Enumerable.Range(0, 50), order.Select(o => o.n));
        }

        [Fact]
        public void Bad_sends_and_binds_fail_clearly()
        {
            var sim = new Simulation(new SimulationOptions { MaxDatagramSize = 1200 });
            var a = sim.AddHost("a");
            var s1 = a.Datagrams.Bind(4000, (s, f, p) => { });
            var e = Assert.Throws<PeerException>(() => a.Datagrams.Bind(4000, (s, f, p) => { }));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Equal(1200, s1.MaxDatagramSize);
            Assert.Throws<ArgumentOutOfRangeException>(() => s1.Send(new byte[1201], 0, 1201, At(a, 4000)));
            // UDP ports are apart from TCP ports: a listener on 4000 does not take the datagram port.
            sim.Run(async () => (await a.Transport.ListenAsync(4001)).Dispose(), TimeSpan.FromSeconds(1));
            a.Datagrams.Bind(4001, (s, f, p) => { }).Dispose();
            s1.Dispose();
            Assert.Throws<ObjectDisposedException>(() => s1.Send(new byte[1], 0, 1, At(a, 4000)));
            a.Datagrams.Bind(4000, (s, f, p) => { }); // free again
        }

        [Fact]
        public void Hosts_that_talked_keep_no_per_pair_state()
        {
            var sim = new Simulation();
            var hosts = Enumerable.Range(0, 50).Select(i => sim.AddHost("h" + i)).ToList();
            var sockets = hosts.Select(h => h.Datagrams.Bind(1, (s, f, p) => { })).ToList();
            sim.Post(() =>
            {
                foreach (var from in sockets)
                    foreach (var to in hosts)
                        from.Send(new byte[1], 0, 1, At(to, 1));
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2500, sim.Statistics.DatagramsDelivered);
            Assert.Equal(0, sim.OverriddenLinkCount);
        }
    }
}
