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
    /// The gate's connections before their handshake, linked oldest first through the connections themselves: a full
    /// gate evicts the oldest still pending, whichever ones before it completed or left; the count follows; the list
    /// empties and fills again.
    /// </summary>
    public class AdmissionPendingListTests
    {
        sealed class Stranger : IConnection
        {
            public bool Disposed;
            public Stranger(int n) => RemoteEndPoint = "10.0.1." + n + ":4000";
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint { get; }
            public void Dispose() => Disposed = true;
        }

        static AdmissionGate Gate(int most)
        {
            var sim = new Simulation(new SimulationOptions());
            var limits = new ConnectionLimits { MaxConnections = most };
            return new AdmissionGate(sim.AddHost("server"), () => limits, (type, remote, message, data) => { });
        }

        [Fact]
        public void A_full_gate_evicts_the_oldest_still_pending_whatever_left_the_list_before_it()
        {
            var gate = Gate(most: 3);
            var s = new List<Stranger>();
            var admitted = new List<AdmittedConnection>();
            for (int i = 0; i < 3; i++)
            {
                s.Add(new Stranger(i));
                admitted.Add((AdmittedConnection)gate.Admit(s[i]));
            }
            Assert.Equal(3, gate.PendingCount);

            admitted[1].MarkEstablished();   // out of the middle of the list
            Assert.Equal(2, gate.PendingCount);

            s.Add(new Stranger(3));
            admitted.Add((AdmittedConnection)gate.Admit(s[3]));   // full: the oldest pending (0) makes room
            Assert.True(s[0].Disposed);
            Assert.False(s[2].Disposed);
            Assert.Equal(2, gate.PendingCount);

            admitted[2].Dispose();   // the oldest pending leaves by itself
            Assert.Equal(1, gate.PendingCount);
            s.Add(new Stranger(4));
            Assert.NotNull(gate.Admit(s[4]));   // room without evicting
            Assert.False(s[3].Disposed);
            s.Add(new Stranger(5));
            Assert.NotNull(gate.Admit(s[5]));   // full again: 3, the oldest pending, goes
            Assert.True(s[3].Disposed);
            Assert.False(s[4].Disposed);
            Assert.Equal(2, gate.PendingCount);
            Assert.Equal(3, gate.OpenCount);
        }

        [Fact]
        public void When_every_connection_completed_the_newcomer_is_refused_and_the_list_fills_again_later()
        {
            var gate = Gate(most: 2);
            var a = (AdmittedConnection)gate.Admit(new Stranger(1));
            var b = (AdmittedConnection)gate.Admit(new Stranger(2));
            b.MarkEstablished();
            a.MarkEstablished();
            Assert.Equal(0, gate.PendingCount);
            var refused = new Stranger(3);
            Assert.Null(gate.Admit(refused));
            Assert.True(refused.Disposed);

            a.Dispose();
            var c = new Stranger(4);
            Assert.NotNull(gate.Admit(c));
            Assert.Equal(1, gate.PendingCount);
            var d = new Stranger(5);
            Assert.NotNull(gate.Admit(d));   // full: c, the only one pending, makes room
            Assert.True(c.Disposed);
            Assert.False(d.Disposed);
            Assert.Equal(1, gate.PendingCount);
        }
    }
}
