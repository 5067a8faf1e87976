using System;
using System.Collections.Generic;
using System.IO;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>
    /// A connection that says its remote address (a simulated end) is admitted without reading its endpoint, which it
    /// would make anew as a "host:port" string: the endpoint is read only when a refusal or an event names it. A socket's
    /// endpoint is read once, as before, and kept while it handshakes.
    /// </summary>
    public class AdmissionEndPointReadsTests
    {
        sealed class Carrier : IAdmissionCarrier
        {
            public int EndPointReads;
            public bool Disposed;
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint { get { EndPointReads++; return "10.0.0.9:40000"; } }
            public string RemoteAddress => "10.0.0.9";
            public void CarryAdmission(AdmissionGate gate) { }
            public void Dispose() => Disposed = true;
        }

        sealed class Socket : IConnection
        {
            public int EndPointReads;
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint { get { EndPointReads++; return "10.0.0.7:40000"; } }
            public void Dispose() { }
        }

        static (AdmissionGate Gate, List<(string Type, string Remote)> Events) Gate(int perAddress)
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var host = sim.AddHost("server");
            var limits = new ConnectionLimits { MaxConnectionsPerAddress = perAddress };
            var events = new List<(string, string)>();
            return (new AdmissionGate(host, () => limits, (type, remote, message, data) => events.Add((type, remote))), events);
        }

        [Fact]
        public void A_carrier_is_admitted_and_counted_by_its_address_without_its_endpoint_being_read()
        {
            var (gate, _) = Gate(perAddress: 2);
            var first = new Carrier();
            var admitted = gate.Admit(first);
            Assert.NotNull(admitted);
            Assert.Equal(0, first.EndPointReads);
            Assert.Equal(1, gate.OpenCount);

            // Asked later (an event, a refusal by the protocol), the endpoint comes from the connection.
            Assert.Equal("10.0.0.9:40000", admitted.RemoteEndPoint);
            Assert.Equal(1, first.EndPointReads);
        }

        [Fact]
        public void A_refused_carrier_is_named_by_its_endpoint_in_the_refusal()
        {
            var (gate, events) = Gate(perAddress: 1);
            var first = new Carrier();
            Assert.NotNull(gate.Admit(first));
            var second = new Carrier();
            Assert.Null(gate.Admit(second));   // the same address already holds its one connection
            Assert.True(second.Disposed);
            Assert.Equal(1, second.EndPointReads);
            var refusal = Assert.Single(events);
            Assert.Equal(("ConnectionRefused", "10.0.0.9:40000"), refusal);
            Assert.Equal(0, first.EndPointReads);
        }

        [Fact]
        public void A_sockets_endpoint_is_read_once_and_kept_while_it_handshakes()
        {
            var (gate, _) = Gate(perAddress: 2);
            var socket = new Socket();
            var admitted = gate.Admit(socket);
            Assert.Equal(1, socket.EndPointReads);
            Assert.Equal("10.0.0.7:40000", admitted.RemoteEndPoint);
            Assert.Equal("10.0.0.7:40000", admitted.RemoteEndPoint);
            Assert.Equal(1, socket.EndPointReads);
        }
    }
}
