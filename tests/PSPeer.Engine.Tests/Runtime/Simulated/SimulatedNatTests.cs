using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Simulated NAT, in RFC 4787's terms: what mapping and filtering let through, for datagrams and streams; mapping
    /// timeouts; hairpinning; private addresses that the outside cannot reach.
    /// </summary>
    public class SimulatedNatTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
        static IPEndPoint At(SimulatedHost host, int port) => new IPEndPoint(IPAddress.Parse(host.HostAddress), port);

        /// <summary>A home network of one host behind a NAT, and two public hosts (b with two ports, c).</summary>
        sealed class World
        {
            public readonly Simulation Sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            public readonly SimulatedNat Nat;
            public readonly SimulatedHost A, B, C;
            public readonly IDatagramSocket SocketA, B1, B2, SocketC;
            public readonly List<string> AGot = new List<string>();
            public readonly List<IPEndPoint> BSaw = new List<IPEndPoint>();
            public readonly List<IPEndPoint> CSaw = new List<IPEndPoint>();

            public World(NatOptions options)
            {
                Nat = Sim.AddNat("nat", options);
                A = Sim.AddHost("a", Nat);
                B = Sim.AddHost("b");
                C = Sim.AddHost("c");
                SocketA = A.Datagrams.Bind(5000, (s, from, p) => AGot.Add(from.ToString()));
                B1 = B.Datagrams.Bind(7001, (s, from, p) => BSaw.Add(from));
                B2 = B.Datagrams.Bind(7002, (s, from, p) => BSaw.Add(from));
                SocketC = C.Datagrams.Bind(7001, (s, from, p) => CSaw.Add(from));
            }

            public void Send(IDatagramSocket socket, IPEndPoint to)
            {
                Sim.Post(() => socket.Send(new byte[] { 1 }, 0, 1, to));
                Sim.RunFor(TimeSpan.FromSeconds(1));
            }

            /// <summary>A sends to b:7001, then b:7001, b:7002 and c answer to what b saw; which answers reach A.</summary>
            public (bool sameEndpoint, bool otherPort, bool otherHost) Probe()
            {
                Send(SocketA, At(B, 7001));
                var mapped = BSaw.Last();
                Send(B1, mapped);
                bool same = AGot.Count == 1;
                Send(B2, mapped);
                bool port = AGot.Count == (same ? 2 : 1);
                Send(SocketC, mapped);
                bool host = AGot.Count == (same ? 1 : 0) + (port ? 1 : 0) + 1;
                return (same, port, host);
            }
        }

        [Fact]
        public void Hosts_behind_a_NAT_get_private_addresses_that_never_overlap_the_public_ones()
        {
            var w = new World(NatOptions.For(NatKind.PortRestricted));
            Assert.StartsWith("172.", w.A.HostAddress);
            Assert.True(w.A.IsBehindNat);
            Assert.StartsWith("10.", w.Nat.PublicAddress);
            Assert.False(w.B.IsBehindNat);
            Assert.False(w.Nat.PublicHost.IsBehindNat);
            var all = w.Sim.Hosts.Select(h => h.HostAddress).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.Same(w.A, w.Sim.FindHost(w.A.HostAddress));
        }

        [Fact]
        public void The_outside_sees_the_NATs_public_address_and_the_answer_comes_back()
        {
            var w = new World(NatOptions.For(NatKind.PortRestricted));
            w.Send(w.SocketA, At(w.B, 7001));
            var seen = Assert.Single(w.BSaw);
            Assert.Equal(w.Nat.PublicAddress, seen.Address.ToString());
            Assert.Equal(5000, seen.Port);   // port preserved, as Linux masquerade does when it can
            w.Send(w.B1, seen);
            Assert.Equal(w.B.HostAddress + ":7001", w.AGot[0]);
            Assert.Equal(1, w.Nat.MappingCount);
        }

        [Theory]
        [InlineData(NatKind.FullCone, true, true, true)]
        [InlineData(NatKind.Restricted, true, true, false)]
        [InlineData(NatKind.PortRestricted, true, false, false)]
        [InlineData(NatKind.Symmetric, true, false, false)]
        public void Filtering_lets_in_what_the_kind_says(NatKind kind, bool sameEndpoint, bool otherPort, bool otherHost)
        {
            var w = new World(NatOptions.For(kind));
            var got = w.Probe();
            Assert.Equal((sameEndpoint, otherPort, otherHost), got);
            Assert.Equal((otherPort ? 0 : 1) + (otherHost ? 0 : 1), w.Nat.Dropped);
        }

        [Theory]
        [InlineData(NatDependence.EndpointIndependent, 1)]
        [InlineData(NatDependence.AddressDependent, 2)]
        [InlineData(NatDependence.AddressAndPortDependent, 3)]
        public void Mapping_gives_a_public_port_per_what_it_depends_on(NatDependence mapping, int publicPorts)
        {
            var w = new World(new NatOptions { Mapping = mapping, Filtering = NatDependence.EndpointIndependent });
            w.Send(w.SocketA, At(w.B, 7001));
            w.Send(w.SocketA, At(w.B, 7002));
            w.Send(w.SocketA, At(w.C, 7001));
            Assert.Equal(2, w.BSaw.Count);
            Assert.Single(w.CSaw);
            var ports = w.BSaw.Concat(w.CSaw).Select(e => e.Port).Distinct().Count();
            Assert.Equal(publicPorts, ports);
            Assert.Equal(publicPorts, w.Nat.MappingCount);
        }

        [Fact]
        public void A_mapping_unused_for_its_timeout_is_forgotten_and_answers_are_dropped()
        {
            var w = new World(new NatOptions { Filtering = NatDependence.AddressAndPortDependent, MappingTimeout = TimeSpan.FromSeconds(30) });
            w.Send(w.SocketA, At(w.B, 7001));
            var mapped = w.BSaw.Last();
            w.Sim.RunFor(TimeSpan.FromSeconds(20));
            w.Send(w.B1, mapped);
            Assert.Single(w.AGot);            // 21 s: still mapped
            w.Sim.RunFor(TimeSpan.FromSeconds(15));
            w.Send(w.B1, mapped);
            Assert.Single(w.AGot);            // 37 s after the last outbound datagram: gone (inbound does not refresh)
            Assert.Equal(1, w.Nat.Dropped);
            w.Send(w.SocketA, At(w.B, 7001));  // a new outbound datagram maps again
            w.Send(w.B1, w.BSaw.Last());
            Assert.Equal(2, w.AGot.Count);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Hairpinning_through_the_public_address_works_only_when_on(bool hairpinning)
        {
            var w = new World(new NatOptions { Filtering = NatDependence.EndpointIndependent, Hairpinning = hairpinning });
            var a2 = w.Sim.AddHost("a2", w.Nat);
            var got = new List<IPEndPoint>();
            var s2 = a2.Datagrams.Bind(6000, (s, from, p) => got.Add(from));
            w.Send(w.SocketA, At(w.B, 7001));       // A's mapping: public:5000
            w.Send(s2, w.BSaw.Last());              // a2 uses A's public endpoint
            Assert.Equal(hairpinning ? 1 : 0, w.AGot.Count);
            if (hairpinning) Assert.StartsWith(w.Nat.PublicAddress + ":", w.AGot[0]);   // the source is translated too
            w.Send(s2, At(w.A, 5000));              // the private address works inside the network either way
            Assert.Equal(hairpinning ? 2 : 1, w.AGot.Count);
            Assert.Equal(a2.HostAddress + ":6000", w.AGot.Last());
        }

        [Fact]
        public void A_private_address_is_not_reachable_from_outside_by_datagram_or_connection()
        {
            var w = new World(NatOptions.For(NatKind.FullCone));
            w.Send(w.B1, At(w.A, 5000));
            Assert.Empty(w.AGot);
            w.Sim.Run(() => w.A.Transport.ListenAsync(6346), Limit);
            var e = Assert.Throws<PeerException>(() => w.Sim.Run(() => w.B.Transport.ConnectAsync(w.A.HostAddress, 6346), Limit));
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
            Assert.Contains("private address", e.Message);
        }

        [Fact]
        public void A_connection_out_of_a_NAT_works_and_the_server_sees_the_public_address()
        {
            var w = new World(NatOptions.For(NatKind.PortRestricted));
            var listener = w.Sim.Run(() => w.B.Transport.ListenAsync(80), Limit);
            var accepted = w.Sim.Spawn(() => listener.AcceptAsync());
            var client = w.Sim.Run(() => w.A.Transport.ConnectAsync(w.B.HostAddress, 80), Limit);
            Assert.True(w.Sim.RunUntilCompleted(accepted, Limit));
            var server = accepted.Result;
            Assert.StartsWith(w.Nat.PublicAddress + ":", server.RemoteEndPoint);
            Assert.Equal(w.B.HostAddress + ":80", client.RemoteEndPoint);
            Assert.StartsWith(w.A.HostAddress + ":", client.LocalEndPoint);
            // Bytes flow both ways over the translated connection.
            w.Sim.Run(() => client.Stream.WriteAsync(new byte[] { 9 }, 0, 1), Limit);
            var buffer = new byte[1];
            Assert.Equal(1, w.Sim.Run(() => server.Stream.ReadAsync(buffer, 0, 1), Limit));
            Assert.Equal(9, buffer[0]);
        }

        [Fact]
        public void A_connection_into_a_NAT_is_refused_even_to_a_listening_inside_host()
        {
            var w = new World(NatOptions.For(NatKind.FullCone));
            w.Sim.Run(() => w.A.Transport.ListenAsync(6346), Limit);
            // Even an outbound connection from A (which maps a TCP port) opens nothing at the listener's port.
            var listener = w.Sim.Run(() => w.B.Transport.ListenAsync(80), Limit);
            w.Sim.Run(() => w.A.Transport.ConnectAsync(w.B.HostAddress, 80), Limit);
            var e = Assert.Throws<PeerException>(() => w.Sim.Run(() => w.B.Transport.ConnectAsync(w.Nat.PublicAddress, 6346), Limit));
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
            Assert.Contains("NAT", e.Message);
        }

        [Fact]
        public void A_simulation_without_NATs_keeps_no_NAT_state_and_hosts_keep_10_addresses()
        {
            var sim = new Simulation();
            var hosts = Enumerable.Range(0, 5).Select(i => sim.AddHost("h" + i)).ToList();
            Assert.All(hosts, h => Assert.StartsWith("10.", h.HostAddress));
            Assert.All(hosts, h => Assert.False(h.IsBehindNat));
        }
    }
}
