using System;
using System.Threading;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One connection's handshake in its servent's queue of handshakes in progress (oldest first): when it must be done
    /// by, and how it ended. The servent keeps one timer for the oldest of the queue, not one per handshake; when a
    /// deadline passes it closes the connection, which fails whatever the handshake was waiting for, and the handshake
    /// then reads <see cref="TimedOut"/> to say why.
    /// </summary>
    /// <remarks>
    /// A network build makes hundreds of thousands of links at once, each with two handshakes: a cancellation source
    /// with a timer, its delegate and a registration on the servent's stop token for each were the build's largest
    /// garbage after the links themselves. Closing the connection ends a handshake on every transport (a socket's
    /// pending read or write fails, a simulated end wakes its waiting reader), so no token is needed; a servent that
    /// stops closes the connections of its handshakes in the same way.
    /// The links and the state are guarded by the servent's lock; an entry is in the queue exactly while it is running.
    /// </remarks>
    sealed class HandshakeDeadline
    {
        const int Running = 0, Ended = 1, Expired = 2;

        public HandshakeDeadline(IConnection connection, long dueUtcTicks)
        {
            Connection = connection;
            DueUtcTicks = dueUtcTicks;
        }

        public IConnection Connection { get; }

        /// <summary>When the handshake must be done by (the clock's UtcTicks).</summary>
        public long DueUtcTicks { get; }

        /// <summary>Neighbours in the servent's queue (older and newer); null at its ends and once out of it.</summary>
        internal HandshakeDeadline Older, Newer;

        // The caller's cancellation, watched while the handshake runs: only dials whose token can be cancelled have one
        // (a network's build dials without), so the registration is not carried by every entry.
        sealed class CallerWatch
        {
            public CancellationTokenRegistration Registration;
        }

        CallerWatch _caller;

        /// <summary>Closes the connection when <paramref name="caller"/> is cancelled, until <see cref="ForgetCaller"/>.</summary>
        internal void WatchCaller(CancellationToken caller)
        {
            if (!caller.CanBeCanceled) return;
            var watch = new CallerWatch();
            _caller = watch;
            watch.Registration = caller.Register(CloseOnCancel, Connection);
        }

        internal void ForgetCaller() => _caller?.Registration.Dispose();

        int _state;

        /// <summary>True when the deadline passed before the handshake ended: its connection was closed for that.</summary>
        public bool TimedOut => Volatile.Read(ref _state) == Expired;

        public bool IsRunning => Volatile.Read(ref _state) == Running;

        /// <summary>Under the servent's lock: the handshake ended; false when its deadline had passed first.</summary>
        internal bool TryEnd() => Interlocked.CompareExchange(ref _state, Ended, Running) == Running;

        /// <summary>Under the servent's lock: the deadline passed; false when the handshake had ended first.</summary>
        internal bool TryExpire() => Interlocked.CompareExchange(ref _state, Expired, Running) == Running;

        static readonly Action<object> CloseOnCancel = state => ((IConnection)state).Dispose();
    }
}
