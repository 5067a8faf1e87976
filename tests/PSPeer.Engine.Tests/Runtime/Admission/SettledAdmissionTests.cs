// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>
    /// Settle: a simulated end accepted by a gate takes over its own place in the gate's counts once past its handshake,
    /// so its owner keeps the end itself and not the gate's wrapper; the place is still given back, once, when it closes.
    /// </summary>
    public class SettledAdmissionTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        sealed class Setup
        {
            public readonly Simulation Sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            public readonly SimulatedHost Server, Client;
            public readonly AdmissionGate Gate;
            public readonly List<IConnection> Accepted = new List<IConnection>();
            public readonly List<string> Refusals = new List<string>();
            readonly CancellationTokenSource _stop = new CancellationTokenSource();

            public Setup(int perAddress)
            {
                Server = Sim.AddHost("server");
                Client = Sim.AddHost("client");
                var limits = new ConnectionLimits { MaxConnectionsPerAddress = perAddress };
                Gate = new AdmissionGate(Server, () => limits, (type, remote, message, data) => Refusals.Add(type));
                Sim.Run(async () =>
                {
                    var listener = await Server.Transport.ListenAsync(6346);
                    _ = Gate.RunAsync(listener, Accepted.Add, _stop.Token);
                }, Limit);
            }

            /// <summary>Dials the server from the client and lets the answer arrive.</summary>
            public IConnection Dial() => Sim.Run(() => Client.Transport.ConnectAsync(Server.HostAddress, 6346), Limit);

            public void Settle() => Sim.RunFor(TimeSpan.FromMilliseconds(50));
        }

        [Fact]
        public void A_settled_end_is_the_simulated_stream_and_still_counts_until_it_is_disposed()
        {
            var s = new Setup(perAddress: 8);
            s.Dial();
            s.Settle();
            var admitted = Assert.Single(s.Accepted);
            Assert.IsType<AdmittedConnection>(admitted);
            Assert.Equal(1, s.Gate.PendingCount);

            var kept = admitted.Settle();
            Assert.IsType<SimulatedStream>(kept);
            Assert.False(kept.IsBeforeHandshake());
            Assert.Equal(1, s.Gate.OpenCount);
            Assert.Equal(0, s.Gate.PendingCount);

            kept.Dispose();
            Assert.Equal(0, s.Gate.OpenCount);
            kept.Dispose();   // once only
            admitted.Dispose();   // the wrapper gave its place away: disposing it gives nothing back twice
            Assert.Equal(0, s.Gate.OpenCount);
        }

        [Fact]
        public void The_per_address_place_of_a_settled_end_is_freed_when_it_closes()
        {
            var s = new Setup(perAddress: 1);
            s.Dial();
            s.Settle();
            var kept = Assert.Single(s.Accepted).Settle();

            // The address holds its one place: a second connection from it is refused.
            s.Dial();
            s.Settle();
            Assert.Single(s.Accepted);
            Assert.Equal(new[] { "ConnectionRefused" }, s.Refusals);

            kept.Dispose();
            s.Dial();
            s.Settle();
            Assert.Equal(2, s.Accepted.Count);
            Assert.Equal(1, s.Gate.OpenCount);
        }

        [Fact]
        public void Disposing_the_wrapper_of_a_settled_end_closes_the_end_and_frees_its_place_once()
        {
            var s = new Setup(perAddress: 8);
            s.Dial();
            s.Dial();
            s.Settle();
            Assert.Equal(2, s.Accepted.Count);
            var first = s.Accepted[0];
            var kept = first.Settle();
            first.Dispose();
            Assert.False(kept.Stream.CanRead);
            Assert.Equal(1, s.Gate.OpenCount);
            kept.Dispose();
            Assert.Equal(1, s.Gate.OpenCount);
        }

        [Fact]
        public void A_connection_that_cannot_carry_its_place_stays_wrapped()
        {
            var s = new Setup(perAddress: 8);
            var raw = new PlainConnection();
            var admitted = s.Gate.Admit(raw);
            Assert.Same(admitted, admitted.Settle());
            Assert.Equal(1, s.Gate.OpenCount);
            admitted.Dispose();
            Assert.True(raw.Disposed);
            Assert.Equal(0, s.Gate.OpenCount);
        }

        [Fact]
        public void A_gate_that_admitted_nothing_holds_no_lock_and_its_first_connection_makes_one()
        {
            var s = new Setup(perAddress: 8);
            Assert.False(s.Gate.HoldsLock);
            s.Dial();
            s.Settle();
            Assert.True(s.Gate.HoldsLock);
            Assert.Equal(1, s.Gate.OpenCount);
        }

        sealed class PlainConnection : IConnection
        {
            public bool Disposed;
            public System.IO.Stream Stream { get; } = new System.IO.MemoryStream();
            public string LocalEndPoint => "10.9.9.9:1";
            public string RemoteEndPoint => "10.9.9.8:2";
            public void Dispose() => Disposed = true;
        }
    }
}
