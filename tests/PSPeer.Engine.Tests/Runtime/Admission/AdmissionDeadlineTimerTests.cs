using System;
using System.Collections.Generic;
using System.IO;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>
    /// The gate watches every connection's pre-handshake deadline with one timer: each connection is still cut at its
    /// own deadline (an earlier one set later moves the timer forward), an established one never, and connections with
    /// the same timeout share the timer set for the first.
    /// </summary>
    public class AdmissionDeadlineTimerTests
    {
        sealed class Stranger : IConnection
        {
            public Stranger(string remote) => RemoteEndPoint = remote;
            public bool Disposed;
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint { get; }
            public void Dispose() => Disposed = true;
        }

        [Fact]
        public void Each_connection_is_cut_at_its_own_deadline_by_one_timer()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(5) };
            var timedOut = new List<(string remote, TimeSpan at)>();
            var gate = new AdmissionGate(host, () => limits, (type, remote, message, data) =>
            {
                if (type == PeerEventTypes.ConnectionTimedOut) timedOut.Add((remote, sim.Elapsed));
            });
            var a = new Stranger("10.9.0.1:1");
            var b = new Stranger("10.9.0.2:1");
            var c = new Stranger("10.9.0.3:1");
            var d = new Stranger("10.9.0.4:1");

            gate.Admit(a);                                   // due at 5 s
            sim.RunFor(TimeSpan.FromSeconds(1));
            var admittedB = gate.Admit(b);                   // due at 6 s
            sim.RunFor(TimeSpan.FromSeconds(1));
            gate.Admit(c);                                   // due at 7 s
            Assert.Equal(1, gate.DeadlineTimersSet);         // later deadlines ride on the first one's timer

            admittedB.MarkEstablished();
            limits.HandshakeTimeout = TimeSpan.FromSeconds(1);
            sim.RunFor(TimeSpan.FromSeconds(1));
            gate.Admit(d);                                   // due at 4 s: earlier than the timer, which moves
            Assert.Equal(2, gate.DeadlineTimersSet);

            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(new[]
            {
                ("10.9.0.4:1", TimeSpan.FromSeconds(4)),
                ("10.9.0.1:1", TimeSpan.FromSeconds(5)),
                ("10.9.0.3:1", TimeSpan.FromSeconds(7)),
            }, timedOut);
            Assert.True(a.Disposed && c.Disposed && d.Disposed);
            Assert.False(b.Disposed);
            Assert.Equal(3, gate.TimedOutCount);
            Assert.Equal(1, gate.OpenCount);
            Assert.Equal(0, gate.PendingCount);
        }

        [Fact]
        public void A_connection_closed_or_established_before_its_deadline_is_not_cut_and_the_timer_is_withdrawn_when_none_waits()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(2) };
            int timedOut = 0;
            var gate = new AdmissionGate(host, () => limits, (type, remote, message, data) =>
            {
                if (type == PeerEventTypes.ConnectionTimedOut) timedOut++;
            });
            var first = gate.Admit(new Stranger("10.9.0.1:1"));
            var second = gate.Admit(new Stranger("10.9.0.2:1"));
            first.MarkEstablished();
            second.Dispose();   // nobody waits now: the timer is withdrawn (it would set itself again had it run)
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(0, timedOut);
            Assert.Equal(1, gate.DeadlineTimersSet);

            // The next stranger sets it again.
            gate.Admit(new Stranger("10.9.0.3:1"));
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(1, timedOut);
            Assert.Equal(2, gate.DeadlineTimersSet);
        }
    }
}
