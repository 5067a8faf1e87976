using System;
using System.Collections.Generic;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// What every protocol node shares: identity, lifecycle and its event stream. A node touches the world only
    /// through <see cref="Runtime"/>, so it runs unchanged live and in a simulation.
    /// </summary>
    public abstract class PeerNodeBase : IDisposable
    {
        // Synchronized: live nodes emit from socket callbacks on several threads; Rx requires serialized OnNext.
        readonly Subject<PeerEvent> _subject = new Subject<PeerEvent>();
        // The synchronized face of _subject, made on first use: a node nobody watches (most of a big simulation) needs none.
        ISubject<PeerEvent> _synchronized;
        readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        int _state = (int)NodeState.Stopped;

        protected PeerNodeBase(IPeerRuntime runtime, string name, string protocol, string role)
        {
            Runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            Name = string.IsNullOrEmpty(name) ? throw new ArgumentException("A node needs a name.", nameof(name)) : name;
            Protocol = protocol;
            Role = role;
        }

        public IPeerRuntime Runtime { get; }
        public string Name { get; }
        public string Protocol { get; }
        public string Role { get; }
        /// <summary>"host:port" where this node accepts connections (its HTTP server for a Napster peer).</summary>
        public string EndPoint { get; protected set; }
        public NodeState State => (NodeState)Volatile.Read(ref _state);
        public DateTimeOffset StartTime { get; private set; }
        public virtual int SharedFileCount => 0;

        ConnectionLimits _limits;

        /// <summary>
        /// What strangers may hold of this node (connections, per address, deadlines, uploads): its kind's defaults with
        /// whatever was set here. Set before the node starts (the values left unset in the object given keep their
        /// defaults); the properties of the object returned can be changed while it runs and apply to new connections.
        /// </summary>
        public ConnectionLimits Limits
        {
            get { var l = Volatile.Read(ref _limits); return l ?? Interlocked.CompareExchange(ref _limits, ConnectionLimits.For(AdmissionKind), null) ?? _limits; }
            set
            {
                if (State != NodeState.Stopped) throw new InvalidOperationException($"Set the limits of node '{Name}' before it starts.");
                Volatile.Write(ref _limits, ConnectionLimits.For(AdmissionKind).WithOverrides(value));
            }
        }

        /// <summary>Which defaults this node's limits start from, by protocol and role.</summary>
        ServerKind AdmissionKind
        {
            get
            {
                switch (Protocol)
                {
                    case "Napster": return Role == "IndexServer" ? ServerKind.NapsterIndex : ServerKind.HttpFileServer;
                    case "BitTorrent": return Role == "Tracker" ? ServerKind.Tracker : ServerKind.BitTorrentPeer;
                    case "Gnutella": return ServerKind.GnutellaServent;
                    default: return ServerKind.HttpFileServer;
                }
            }
        }

        /// <summary>The gate that admits this node's connections (open, refused, timed out), once the node has started; null for a node that accepts nothing.</summary>
        public AdmissionGate Admission { get; private set; }

        /// <summary>The gate that accepts this node's connections within <see cref="Limits"/>, reporting through its events.</summary>
        protected AdmissionGate CreateAdmissionGate(Func<byte[]> refusalResponse = null) =>
            Admission = new AdmissionGate(this, refusalResponse);

        /// <summary>What the node's admission gate reports (ConnectionRefused, ConnectionTimedOut).</summary>
        internal void EmitFromGate(string type, string remote, string message, KeyValuePair<string, object>[] data) => Emit(type, remote, message, data);

        /// <summary>
        /// Hot stream of everything this node does; completes when the node stops. Subscribers never reach the node:
        /// live, each gets its events on the task pool through its own queue of <see cref="EventQueueCapacity"/>
        /// events (a slow one loses events, counted in <see cref="EventsDropped"/> and told by an EventsDropped event);
        /// simulated, on the simulation's loop in order (deterministic). One whose OnNext throws is unsubscribed and an
        /// ObserverFailed event tells the others.
        /// </summary>
        public IObservable<PeerEvent> Events => Runtime.IsSimulated ? EventsInline : QueuedEvents();

        /// <summary>
        /// The same stream delivered on the node's own thread, in step with what it does, each subscriber in its own
        /// try (a throwing one is unsubscribed): for code that must see events before the node's next step and never
        /// blocks (the engine's and the cmdlets' own bookkeeping).
        /// </summary>
        public IObservable<PeerEvent> EventsInline => EventDelivery.Inline(Synchronized, ObserverFailed);

        ISubject<PeerEvent> Synchronized
        {
            get
            {
                var s = Volatile.Read(ref _synchronized);
                return s ?? Interlocked.CompareExchange(ref _synchronized, Subject.Synchronize(_subject), null) ?? _synchronized;
            }
        }

        /// <summary>Events a live subscriber may have waiting before newer ones are dropped for it (set before subscribing).</summary>
        public int EventQueueCapacity
        {
            get => _eventQueueCapacity;
            set => _eventQueueCapacity = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one event.");
        }

        /// <summary>Events dropped for slow subscribers since the node was created.</summary>
        public long EventsDropped => Interlocked.Read(ref _eventsDropped);

        /// <summary>Subscribers unsubscribed because they threw.</summary>
        public long ObserverFailures => Interlocked.Read(ref _observerFailures);

        int _eventQueueCapacity = 10_000;
        long _eventsDropped;
        long _observerFailures;

        IObservable<PeerEvent> QueuedEvents() =>
            EventDelivery.Queued(Synchronized, _eventQueueCapacity, TaskPoolScheduler.Default,
                count => new PeerEvent(Runtime.Clock.Now, Name, PeerEventTypes.EventsDropped,
                    null, $"{count} events dropped: this subscriber fell behind", new Dictionary<string, object> { ["Dropped"] = count }),
                count => Interlocked.Add(ref _eventsDropped, count),
                ObserverFailed);

        // An observer threw: it is gone; the node goes on, and the other subscribers hear of it.
        void ObserverFailed(Exception error)
        {
            Interlocked.Increment(ref _observerFailures);
            try
            {
                Emit(PeerEventTypes.ObserverFailed, null, $"an event subscriber threw and was unsubscribed: {error.Message}",
                    D("Error", error.GetType().FullName + ": " + error.Message));
            }
            catch (Exception) { /* reporting must never reach the node either */ }
        }

        /// <summary>Cancelled when the node begins to stop: every background loop of the node takes it.</summary>
        protected CancellationToken Stopping => _stopping.Token;

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.CompareExchange(ref _state, (int)NodeState.Starting, (int)NodeState.Stopped) != (int)NodeState.Stopped)
                throw new InvalidOperationException($"Node '{Name}' has already been started.");
            StartTime = Runtime.Clock.Now;
            try
            {
                await OnStartAsync(cancellationToken);
            }
            catch
            {
                Volatile.Write(ref _state, (int)NodeState.Failed);
                _stopping.Cancel();
                try { await OnStopAsync(); } catch { /* the start failure is the error worth reporting */ }
                throw;
            }
            if (Interlocked.CompareExchange(ref _state, (int)NodeState.Running, (int)NodeState.Starting) != (int)NodeState.Starting)
            {
                // StopAsync ran while we were starting (Ctrl+C on Start-PeerNode) and may have missed what came up after
                // it looked (a session, a loop): stop again, and never report as Running a node that was stopped.
                try { await OnStopAsync(); } catch { /* the stop is what the caller asked for; the start is what failed */ }
                throw new OperationCanceledException($"Node '{Name}' was stopped while it was starting.");
            }
            Emit(PeerEventTypes.NodeStarted, null, $"{Protocol} {Role} listening on {EndPoint}");
        }

        /// <summary>Stops the node: closes its listener and connections. Safe to call twice.</summary>
        public async Task StopAsync()
        {
            int previous = Interlocked.Exchange(ref _state, (int)NodeState.Stopping);
            if (previous == (int)NodeState.Stopping || previous == (int)NodeState.Stopped) { Volatile.Write(ref _state, previous); return; }
            _stopping.Cancel();
            try { await OnStopAsync(); }
            finally
            {
                Volatile.Write(ref _state, (int)NodeState.Stopped);
                Emit(PeerEventTypes.NodeStopped, null, "stopped");
                Synchronized.OnCompleted();
            }
        }

        protected abstract Task OnStartAsync(CancellationToken cancellationToken);
        protected abstract Task OnStopAsync();

        /// <summary>
        /// Whether anyone listens. Hot paths (a search answered 50,000 times a second) check this before they format
        /// an event's message, so an unwatched node pays nothing for its events.
        /// </summary>
        protected bool HasEventObservers => _subject.HasObservers;

        protected void Emit(string type, string remote, string message, params KeyValuePair<string, object>[] data)
        {
            if (!_subject.HasObservers) return;
            Dictionary<string, object> dict = null;
            if (data != null && data.Length > 0)
            {
                dict = new Dictionary<string, object>(data.Length);
                foreach (var kv in data) dict[kv.Key] = kv.Value;
            }
            Synchronized.OnNext(new PeerEvent(Runtime.Clock.Now, Name, type, remote, message, dict));
        }

        protected static KeyValuePair<string, object> D(string key, object value) => new KeyValuePair<string, object>(key, value);

        /// <summary>
        /// Live: stops and waits. Simulated: only begins the stop (it completes as the simulation runs), because
        /// waiting here on the simulation's own thread would wait forever; await <see cref="StopAsync"/> there instead.
        /// </summary>
        public void Dispose()
        {
            var stopping = StopAsync();
            if (!Runtime.IsSimulated) stopping.GetAwaiter().GetResult();
        }

        public override string ToString() => $"{Name} ({Protocol} {Role} {EndPoint})";
    }
}
