using System;
using System.Threading;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One connection's handshake cancellation: cancelled when the servent stops, when the caller cancels, or when the
    /// deadline passes (then <see cref="TimedOut"/>). One source per connection, where a timeout source, a source
    /// linked to it and a closure for the timer were three, with a registration more, on every link a network builds.
    /// </summary>
    sealed class HandshakeDeadline : CancellationTokenSource
    {
        static readonly Action<object> CancelFromToken = state => ((HandshakeDeadline)state).TryCancel();
        readonly CancellationTokenRegistration _stopping, _caller;
        readonly IDisposable _timer;
        volatile bool _timedOut;

        public HandshakeDeadline(IClock clock, TimeSpan timeout, CancellationToken stopping, CancellationToken caller = default)
        {
            _stopping = stopping.Register(CancelFromToken, this);
            _caller = caller.CanBeCanceled ? caller.Register(CancelFromToken, this) : default;
            _timer = clock.Schedule(timeout, Expire);
        }

        /// <summary>The handshake's head reader: cancelling wakes its wait (it registers nothing with the token).</summary>
        public HandshakeHeadReader Reader { get; set; }

        /// <summary>True when the deadline passed (not the servent stopping, not the caller).</summary>
        public bool TimedOut => _timedOut;

        void Expire()
        {
            _timedOut = true;
            TryCancel();
        }

        // A timer or a token may fire after the handshake ended and disposed this.
        void TryCancel()
        {
            try { Cancel(); } catch (ObjectDisposedException) { return; }
            Reader?.Cancel();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _timer.Dispose();
                _stopping.Dispose();
                _caller.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
