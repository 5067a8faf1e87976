using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// A connection the <see cref="AdmissionGate"/> let in: the accepted connection plus its place in the gate's counts
    /// and the deadline it has to complete its login or handshake (watched by the gate). Disposing it (once, from anywhere) closes the
    /// connection and gives its place back.
    /// </summary>
    sealed class AdmittedConnection : IConnection
    {
        readonly AdmissionGate _gate;
        readonly IConnection _inner;
        int _disposed;
        int _established;

        // The remote endpoint as the gate read it, kept until the handshake is done (a socket's, read once). Null where
        // the gate did not need it: a simulated end (an IAdmissionCarrier) makes it when asked, which the protocols do
        // only for events and refusals.
        string _remoteWhileHandshaking;

        public AdmittedConnection(AdmissionGate gate, IConnection inner, string address, DescriptorBudget budget, string remoteEndPoint = null)
        {
            _gate = gate;
            _inner = inner;
            Address = address;
            Budget = budget;
            _remoteWhileHandshaking = remoteEndPoint;
        }

        public Stream Stream => _inner.Stream;
        public string LocalEndPoint => _inner.LocalEndPoint;
        public string RemoteEndPoint => Volatile.Read(ref _remoteWhileHandshaking) ?? _inner.RemoteEndPoint;

        /// <summary>The remote address (no port): the key of the per-address count.</summary>
        internal string Address { get; }
        /// <summary>The descriptor budget it holds one of (null in a simulation).</summary>
        internal DescriptorBudget Budget { get; }
        /// <summary>Whether it is in the gate's oldest-first list of connections still before their handshake (guarded by the gate's lock).</summary>
        internal bool IsPending;
        /// <summary>Its neighbours in that list (null at its ends and once out of it).</summary>
        internal AdmittedConnection OlderPending, NewerPending;
        /// <summary>Whether the gate still counts it (guarded by the gate's lock).</summary>
        internal bool Counted { get; set; } = true;
        public bool IsEstablished => Volatile.Read(ref _established) != 0;
        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>When its login or handshake must be complete (UTC ticks of the node's clock): the gate's one timer
        /// for all its connections before their handshake closes it then (see AdmissionGate.ArmDeadline).</summary>
        internal long DeadlineTicks { get; set; }
        /// <summary>The handshake timeout it was given, for the message that says it passed.</summary>
        internal TimeSpan Timeout { get; set; }

        /// <summary>The login or handshake is complete: the pre-handshake deadline no longer applies.</summary>
        public void MarkEstablished()
        {
            if (Interlocked.Exchange(ref _established, 1) != 0) return;
            Volatile.Write(ref _remoteWhileHandshaking, null);
            _gate.Established(this);
        }

        /// <summary>
        /// The handshake is done and a long-lived owner (a Gnutella link) takes the connection: marks it established and,
        /// where the connection under it can hold its own place in the gate (a simulated end, which holds no descriptor),
        /// hands the place over and returns that connection, so that this wrapper can be let go. Otherwise returns this.
        /// </summary>
        internal IConnection Settle()
        {
            MarkEstablished();
            if (!(_inner is IAdmissionCarrier carrier) || Budget != null) return this;
            return _gate.HandOver(this, carrier) ? _inner : this;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            try { _inner.Dispose(); }
            finally { _gate.Release(this); }
        }

        public override string ToString() => RemoteEndPoint;
    }
}
