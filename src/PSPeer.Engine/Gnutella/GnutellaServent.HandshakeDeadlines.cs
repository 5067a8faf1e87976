using System;
using System.Collections.Generic;
using System.Threading;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>The handshakes in progress: their connections, closed when the servent stops, and their deadlines.</summary>
    /// <remarks>
    /// Every handshake gets the same time (<see cref="HandshakeTimeout"/>) from when it begins, so the queue in the order
    /// they began is also the order of their deadlines: one timer, set for the oldest, serves them all. When it fires it
    /// closes every handshake whose deadline has passed and sets itself for the next; when the last handshake ends it is
    /// withdrawn, and the next handshake sets it again. The queue is linked through the entries themselves (no
    /// collection of its own) and guarded by <see cref="_gate"/>.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        HandshakeDeadline _oldestHandshake, _newestHandshake;
        IDisposable _handshakeTimer;   // set for the oldest handshake's deadline; null while none runs

        /// <summary>
        /// Enters <paramref name="connection"/>'s handshake in the queue, its deadline <see cref="HandshakeTimeout"/> from
        /// now; null when the servent is stopping (nothing is entered then). <paramref name="caller"/>: cancelling it
        /// closes the connection (the handshake then reports the cancellation).
        /// </summary>
        HandshakeDeadline BeginHandshake(IConnection connection, CancellationToken caller = default)
        {
            var deadline = new HandshakeDeadline(connection, Runtime.Clock.Now.UtcTicks + HandshakeTimeout.Ticks);
            lock (_gate)
            {
                if (Stopping.IsCancellationRequested) return null;
                deadline.Older = _newestHandshake;
                if (_newestHandshake != null) _newestHandshake.Newer = deadline;
                else _oldestHandshake = deadline;
                _newestHandshake = deadline;
                if (_handshakeTimer == null) _handshakeTimer = Runtime.Clock.Schedule(HandshakeTimeout, ExpireHandshakesCallback, this);
            }
            deadline.WatchCaller(caller);
            return deadline;
        }

        /// <summary>
        /// The handshake is over (done, failed, or its connection handed on): out of the queue. False when its deadline
        /// passed first, so its connection is closed or about to be: it must not be handed on then.
        /// </summary>
        bool EndHandshake(HandshakeDeadline deadline)
        {
            bool ended;
            IDisposable idle = null;
            lock (_gate)
            {
                ended = deadline.TryEnd();
                if (ended)
                {
                    Unlink(deadline);
                    if (_oldestHandshake == null)
                    {
                        idle = _handshakeTimer;
                        _handshakeTimer = null;
                    }
                }
            }
            idle?.Dispose();
            deadline.ForgetCaller();
            return ended;
        }

        // The timer is withdrawn whenever no handshake runs and set again by the next, so it is set about once per
        // handshake: with the servent as its state, and no delegate made for each.
        static readonly Action<object> ExpireHandshakesCallback = servent => ((GnutellaServent)servent).ExpireHandshakes();

        /// <summary>The timer: closes the connections of the handshakes whose deadline passed, oldest first, and sets itself for the next.</summary>
        void ExpireHandshakes()
        {
            HandshakeDeadline first = null, last = null;
            lock (_gate)
            {
                _handshakeTimer = null;
                long now = Runtime.Clock.Now.UtcTicks;
                while (_oldestHandshake != null && _oldestHandshake.DueUtcTicks <= now)
                {
                    var due = _oldestHandshake;
                    due.TryExpire();   // every entry in the queue is running: it ends only by leaving it
                    Unlink(due);
                    // Out of the queue, its link to a newer one chains the expired ones instead.
                    if (last == null) first = due;
                    else last.Newer = due;
                    last = due;
                }
                if (_oldestHandshake != null)
                    _handshakeTimer = Runtime.Clock.Schedule(TimeSpan.FromTicks(_oldestHandshake.DueUtcTicks - now), ExpireHandshakesCallback, this);
            }
            // Outside the lock: closing wakes the handshake, which may run on at once (on a simulation's loop it does).
            for (var expired = first; expired != null;)
            {
                var next = expired.Newer;
                expired.Newer = null;
                expired.Connection.Dispose();
                expired = next;
            }
        }

        /// <summary>
        /// Whether the handshake's connection was closed under it (its deadline passed, or the servent is stopping): what
        /// it reads next is that close, not something the other end did.
        /// </summary>
        bool ClosedUnder(HandshakeDeadline deadline) => deadline.TimedOut || Stopping.IsCancellationRequested;

        /// <summary>Closes the connection of every handshake in progress (the servent is stopping): each then ends as cancelled.</summary>
        void CloseHandshakes()
        {
            var connections = new List<IConnection>();
            lock (_gate)
                for (var h = _oldestHandshake; h != null; h = h.Newer) connections.Add(h.Connection);
            foreach (var connection in connections) connection.Dispose();
        }

        /// <summary>How many handshakes are in progress (for tests).</summary>
        internal int HandshakesInProgress
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    for (var h = _oldestHandshake; h != null; h = h.Newer) n++;
                    return n;
                }
            }
        }

        // Under _gate.
        void Unlink(HandshakeDeadline deadline)
        {
            if (deadline.Older != null) deadline.Older.Newer = deadline.Newer;
            else _oldestHandshake = deadline.Newer;
            if (deadline.Newer != null) deadline.Newer.Older = deadline.Older;
            else _newestHandshake = deadline.Older;
            deadline.Older = deadline.Newer = null;
        }
    }
}
