using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// The one place a node accepts connections: it runs the accept loop and lets a connection in only within the
    /// node's <see cref="ConnectionLimits"/> (per node, per remote address, the shared descriptor budget), arms its
    /// pre-handshake deadline, and refuses the rest cleanly (closed at once, or an HTTP 503 where the node speaks HTTP),
    /// each refusal a ConnectionRefused event. Every server kind (index, HTTP, tracker, BitTorrent peer, servent) uses it.
    /// </summary>
    /// <remarks>
    /// When the node is full, the oldest connection still before its handshake is closed to make room (an idle
    /// stranger cannot lock out the next honest client); connections past their handshake are never evicted here (the
    /// protocols' own fair-slot rules decide about those). Limits are read at each accept, so changing the node's
    /// limits object applies to the next connection. Nothing is closed or reported while the gate's lock is held:
    /// closing can run protocol code inline, which takes locks of its own.
    /// </remarks>
    public sealed class AdmissionGate
    {
        /// <summary>Refusals that may be writing their 503 at once; beyond that a refusal just closes.</summary>
        const int MaxRefusalsInFlight = 128;
        static readonly TimeSpan RefusalLinger = TimeSpan.FromMilliseconds(500);

        readonly IPeerRuntime _runtime;
        readonly Func<ConnectionLimits> _limits;
        readonly Action<string, string, string, KeyValuePair<string, object>[]> _emit;
        // A node's own gate reads its limits and reports through the node itself, not through two delegates per node.
        readonly PeerNodeBase _node;
        readonly Func<byte[]> _refusalResponse;
        // Made by the first connection: a simulated leaf accepts nothing, and holds no lock object, no count per address
        // and no list of connections before their handshake.
        object _lock;
        // Under Lock (a mutable struct, used in place).
        AddressCounts _perAddress;
        // Under Lock: the connections before their handshake, oldest first, linked through the connections themselves
        // (a LinkedList made each time the first arrived after the last had left, and a node per connection, were a
        // network build's garbage for every connection an ultrapeer accepted).
        AdmittedConnection _oldestPending, _newestPending;
        // Under Lock: the one timer that closes connections whose pre-handshake deadline passed, due at the earliest
        // deadline it knew of when set (a timer, a closure and a queued item per connection cost a simulated network
        // hundreds of thousands of each while it builds).
        IDisposable _deadlineTimer;
        long _deadlineTimerDue = long.MaxValue;
        int _deadlineTimerSet;   // counts the timers set: a timer knows whether it is still the current one
        int _open;
        int _refusing;
        long _refused;
        long _timedOut;

        /// <param name="limits">Read at every accept (the node's current limits).</param>
        /// <param name="emit">Reports ConnectionRefused and ConnectionTimedOut as (type, remote, message, data).</param>
        /// <param name="refusalResponse">Bytes to send a refused connection before closing it (an HTTP 503), or null to just close.</param>
        public AdmissionGate(IPeerRuntime runtime, Func<ConnectionLimits> limits,
            Action<string, string, string, KeyValuePair<string, object>[]> emit, Func<byte[]> refusalResponse = null)
        {
            _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            _limits = limits ?? throw new ArgumentNullException(nameof(limits));
            _emit = emit;
            _refusalResponse = refusalResponse;
        }

        /// <summary>The gate of <paramref name="node"/>: its current <see cref="PeerNodeBase.Limits"/>, its events.</summary>
        internal AdmissionGate(PeerNodeBase node, Func<byte[]> refusalResponse)
        {
            _node = node ?? throw new ArgumentNullException(nameof(node));
            _runtime = node.Runtime;
            _refusalResponse = refusalResponse;
        }

        /// <summary>Whether anything was ever admitted or asked of the gate (its lock exists): for tests of what an idle gate holds.</summary>
        internal bool HoldsLock => Volatile.Read(ref _lock) != null;

        /// <summary>How many times the gate's deadline timer was set (for tests: one timer serves many connections).</summary>
        internal int DeadlineTimersSet { get { lock (Lock) return _deadlineTimerSet; } }

        object Lock => LazyInitializer.EnsureInitialized(ref _lock);

        /// <summary>Connections admitted and still open.</summary>
        public int OpenCount { get { lock (Lock) return _open; } }
        /// <summary>Of those, how many have not yet completed their login or handshake.</summary>
        public int PendingCount
        {
            get
            {
                lock (Lock)
                {
                    int n = 0;
                    for (var pending = _oldestPending; pending != null; pending = pending.NewerPending) n++;
                    return n;
                }
            }
        }
        /// <summary>Connections refused (and evicted) since the gate started.</summary>
        public long RefusedCount => Interlocked.Read(ref _refused);
        /// <summary>Refused connections still being told so (an HTTP 503 being written; each lingers at most half a second).</summary>
        public int RefusingCount => Volatile.Read(ref _refusing);
        /// <summary>Connections closed by their pre-handshake deadline.</summary>
        public long TimedOutCount => Interlocked.Read(ref _timedOut);

        /// <summary>
        /// Accepts until <paramref name="stopping"/> is cancelled or the listener is closed, handing each admitted
        /// connection to <paramref name="serve"/> (which starts its own work and returns; if it throws, the connection
        /// is closed). An accept that fails (a reset before accept, no descriptors) is reported and retried after a pause.
        /// </summary>
        public async Task RunAsync(IListener listener, Action<IConnection> serve, CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                IConnection raw;
                // A listener that accepts by value (simulated) costs no task per accept.
                try { raw = listener is IValueAcceptListener byValue ? await byValue.AcceptValueAsync(stopping) : await listener.AcceptAsync(stopping); }
                catch (Exception) when (stopping.IsCancellationRequested) { return; }
                catch (ObjectDisposedException) { return; }
                catch (Exception e)
                {
                    Report(PeerEventTypes.ConnectionRefused, null, "accept failed: " + e.Message, "accept failed: " + e.Message, null);
                    try { await _runtime.Clock.Delay(TimeSpan.FromMilliseconds(100), stopping); } catch (OperationCanceledException) { return; }
                    continue;
                }
                var admitted = Admit(raw);
                if (admitted == null) continue;
                try { serve(admitted); }
                catch (Exception) { admitted.Dispose(); }
            }
        }

        /// <summary>Admits <paramref name="raw"/> (returns the connection to serve) or refuses and closes it (returns null).</summary>
        public IConnection Admit(IConnection raw)
        {
            if (raw == null) throw new ArgumentNullException(nameof(raw));
            // A connection that knows its remote address says it without a string of its own (a simulated end: its peer
            // host's), and counts by the same text when it gives its place back (see HandOver). Its endpoint, which it
            // would make anew as "host:port", is then read only where a refusal or an event needs it.
            string remote = null, address;
            if (raw is IAdmissionCarrier carrier) address = carrier.RemoteAddress;
            else
            {
                remote = EndPointOf(raw);
                address = HostPort.TryParse(remote, out var hp) ? hp.Host : (remote ?? "?");
            }
            var limits = _node != null ? _node.Limits : _limits();
            AdmittedConnection admitted = null, evicted = null;
            string refusal = null;
            bool budgetSpent = false;
            lock (Lock)
            {
                int fromAddress = _perAddress.Of(address);
                if (fromAddress >= limits.MaxConnectionsPerAddress)
                    refusal = $"{address} already has {fromAddress} connections, the most one address may hold ({limits.MaxConnectionsPerAddress})";
                else if (_open >= limits.MaxConnections && _oldestPending == null)
                    refusal = $"the node holds its most connections ({limits.MaxConnections}), all past their handshake";
                else
                {
                    if (_open >= limits.MaxConnections)
                    {
                        evicted = _oldestPending;
                        ReleaseLocked(evicted);
                    }
                    var budget = _runtime.IsSimulated ? null : limits.EffectiveBudget;
                    bool haveDescriptor = budget == null || budget.TryAcquire();
                    if (!haveDescriptor && evicted == null && _oldestPending != null)
                    {
                        // The process is out of descriptors: this node's oldest idle stranger gives its one up.
                        evicted = _oldestPending;
                        ReleaseLocked(evicted);
                        haveDescriptor = budget.TryAcquire();
                    }
                    if (!haveDescriptor)
                    {
                        refusal = $"the process's descriptor budget is spent ({budget})";
                        budgetSpent = true;
                    }
                    else
                    {
                        admitted = new AdmittedConnection(this, raw, address, budget, remote);
                        _open++;
                        _perAddress.Increment(address);
                        ListPending(admitted);
                    }
                }
            }
            if (evicted != null)
            {
                Interlocked.Increment(ref _refused);
                Report(PeerEventTypes.ConnectionRefused, evicted.RemoteEndPoint,
                    "closed to make room: the oldest connection still before its handshake", "evicted before handshake", evicted.Address);
                evicted.Dispose();
            }
            if (admitted == null)
            {
                Refuse(raw, remote ?? EndPointOf(raw), address, refusal, budgetSpent);
                return null;
            }
            ArmDeadline(admitted, limits.HandshakeTimeout);
            return admitted;
        }

        static string EndPointOf(IConnection raw)
        {
            try { return raw.RemoteEndPoint; } catch (Exception) { return null; }
        }

        // Gives the connection its deadline and makes sure the gate's timer is due no later than it. With one timeout
        // for all (the usual case) deadlines come in order, and the timer set for the first serves every later one.
        void ArmDeadline(AdmittedConnection connection, TimeSpan timeout)
        {
            long now = _runtime.Clock.Now.UtcTicks;
            connection.Timeout = timeout;
            connection.DeadlineTicks = now + timeout.Ticks;
            IDisposable replaced = null;
            lock (Lock)
            {
                // Established or closed already: nothing to watch.
                if (!connection.IsPending || connection.DeadlineTicks >= _deadlineTimerDue) return;
                replaced = _deadlineTimer;
                SetDeadlineTimerLocked(connection.DeadlineTicks, now);
            }
            replaced?.Dispose();
        }

        // Under Lock.
        void SetDeadlineTimerLocked(long due, long now)
        {
            _deadlineTimerDue = due;
            int set = ++_deadlineTimerSet;
            _deadlineTimer = _runtime.Clock.Schedule(TimeSpan.FromTicks(Math.Max(0, due - now)), DeadlinesDueCallback, new TimerSet(this, set));
        }

        // The timer's state: which gate, and which of its timers (a closure and its delegate per timer were the same
        // and a delegate more; a gate sets its timer about once per connection it admits while a network builds).
        sealed class TimerSet
        {
            public readonly AdmissionGate Gate;
            public readonly int Set;
            public TimerSet(AdmissionGate gate, int set) { Gate = gate; Set = set; }
        }

        static readonly Action<object> DeadlinesDueCallback = state => ((TimerSet)state).Gate.DeadlinesDue(((TimerSet)state).Set);

        // The gate's timer: closes every connection before its handshake whose deadline passed, and sets the timer again
        // for the earliest deadline left (at once when a live timer fired a little before the clock reached it). A timer
        // replaced meanwhile (live, it may still fire) only does the same work.
        void DeadlinesDue(int set)
        {
            List<AdmittedConnection> passed = null;
            lock (Lock)
            {
                long now = _runtime.Clock.Now.UtcTicks;
                if (set == _deadlineTimerSet)
                {
                    _deadlineTimer = null;
                    _deadlineTimerDue = long.MaxValue;
                }
                long next = long.MaxValue;
                for (var pending = _oldestPending; pending != null; pending = pending.NewerPending)
                {
                    long deadline = pending.DeadlineTicks;
                    if (deadline <= now) (passed ?? (passed = new List<AdmittedConnection>())).Add(pending);
                    else if (deadline < next) next = deadline;
                }
                if (next < _deadlineTimerDue)
                {
                    _deadlineTimer?.Dispose();
                    SetDeadlineTimerLocked(next, now);
                }
            }
            // Reported and closed outside the lock, oldest first, as their own timers did.
            if (passed != null) foreach (var connection in passed) DeadlinePassed(connection, connection.Timeout);
        }

        internal void Established(AdmittedConnection connection)
        {
            lock (Lock)
            {
                UnlistPending(connection);
            }
        }

        // Under Lock: at the new end of the list of connections before their handshake.
        void ListPending(AdmittedConnection connection)
        {
            connection.OlderPending = _newestPending;
            if (_newestPending != null) _newestPending.NewerPending = connection;
            else _oldestPending = connection;
            _newestPending = connection;
            connection.IsPending = true;
        }

        // Under Lock: off the list of connections before their handshake, and the timer withdrawn once it is empty (an
        // ultrapeer of a simulated network has all its links past their handshake once built).
        void UnlistPending(AdmittedConnection connection)
        {
            if (!connection.IsPending) return;
            if (connection.OlderPending != null) connection.OlderPending.NewerPending = connection.NewerPending;
            else _oldestPending = connection.NewerPending;
            if (connection.NewerPending != null) connection.NewerPending.OlderPending = connection.OlderPending;
            else _newestPending = connection.OlderPending;
            connection.OlderPending = connection.NewerPending = null;
            connection.IsPending = false;
            if (_oldestPending != null) return;
            // Nobody left to watch: the timer is withdrawn rather than left to fire for nothing (a simulated ultrapeer's
            // handshakes overlap while a network builds, so one timer still serves most of them).
            _deadlineTimer?.Dispose();
            _deadlineTimer = null;
            _deadlineTimerDue = long.MaxValue;
        }

        internal void Release(AdmittedConnection connection)
        {
            lock (Lock) ReleaseLocked(connection);
        }

        /// <summary>
        /// An established connection's place passes from its wrapper to <paramref name="carrier"/> (the connection under
        /// it), which gives it back with <see cref="ReleaseCarried"/> when disposed; false when the place was already
        /// given back (the wrapper was disposed).
        /// </summary>
        internal bool HandOver(AdmittedConnection connection, IAdmissionCarrier carrier)
        {
            lock (Lock)
            {
                if (!connection.Counted) return false;
                connection.Counted = false;   // disposing the wrapper from now on only disposes the carrier
                UnlistPending(connection);
                carrier.CarryAdmission(this);
                return true;
            }
        }

        /// <summary>A connection that carried its own place (see <see cref="HandOver"/>) was disposed: the place is free.</summary>
        internal void ReleaseCarried(string address)
        {
            lock (Lock)
            {
                _open--;
                ForgetOneFrom(address);
            }
        }

        void ReleaseLocked(AdmittedConnection connection)
        {
            if (!connection.Counted) return;
            connection.Counted = false;
            _open--;
            UnlistPending(connection);
            ForgetOneFrom(connection.Address);
            connection.Budget?.Release();
        }

        // Under Lock: one connection fewer from that address.
        void ForgetOneFrom(string address) => _perAddress.Decrement(address);

        internal void DeadlinePassed(AdmittedConnection connection, TimeSpan timeout)
        {
            if (connection.IsEstablished || connection.IsDisposed) return;
            Interlocked.Increment(ref _timedOut);
            string why = string.Format(CultureInfo.InvariantCulture, "no login or handshake within {0:0.###} s", timeout.TotalSeconds);
            Report(PeerEventTypes.ConnectionTimedOut, connection.RemoteEndPoint, why, why, connection.Address);
            connection.Dispose();
        }

        void Refuse(IConnection raw, string remote, string address, string reason, bool budgetSpent)
        {
            Interlocked.Increment(ref _refused);
            Report(PeerEventTypes.ConnectionRefused, remote, "refused: " + reason, reason, address);
            byte[] response = budgetSpent ? null : _refusalResponse?.Invoke();
            if (response == null || Interlocked.Increment(ref _refusing) > MaxRefusalsInFlight)
            {
                if (response != null) Interlocked.Decrement(ref _refusing);
                raw.Dispose();
                return;
            }
            _ = SendRefusalAsync(raw, response);
        }

        // Writes the refusal, then reads once (briefly) so the request the client sent is consumed: closing a socket with
        // unread data sends a reset, and the client would see "connection reset" instead of the 503.
        async Task SendRefusalAsync(IConnection raw, byte[] response)
        {
            using (var cts = new CancellationTokenSource())
            using (_runtime.Clock.Schedule(RefusalLinger, () => { try { cts.Cancel(); raw.Dispose(); } catch (ObjectDisposedException) { } }))
            {
                try
                {
                    await raw.Stream.WriteAsync(response, 0, response.Length, cts.Token);
                    await raw.Stream.FlushAsync(cts.Token);
                    var sink = new byte[2048];
                    await raw.Stream.ReadAsync(sink, 0, sink.Length, cts.Token);
                }
                catch (Exception) { /* the refusal is best effort; the connection closes either way */ }
                finally
                {
                    raw.Dispose();
                    Interlocked.Decrement(ref _refusing);
                }
            }
        }

        void Report(string type, string remote, string message, string reason, string address)
        {
            if (_emit == null && _node == null) return;
            try
            {
                var data = new[]
                {
                    new KeyValuePair<string, object>("Reason", reason),
                    new KeyValuePair<string, object>("Address", address),
                };
                if (_node != null) _node.EmitFromGate(type, remote, message, data);
                else _emit(type, remote, message, data);
            }
            catch (Exception) { /* a failing subscriber must not stop admission */ }
        }
    }
}
