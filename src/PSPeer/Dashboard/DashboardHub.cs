using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// Between the nodes and the pages: a timer on the thread pool (never a node's or a simulation's thread) takes the
    /// feed's events in batches and sends them to every connected page, and once a second sends the status: counters
    /// summed over every node of the scope (read from the nodes' own counters, which costs them nothing), the swarm's
    /// pieces and rates, and a fingerprint of the topology. The same tick subscribes the shown nodes while a page is
    /// connected and unsubscribes them when the last one leaves.
    /// </summary>
    internal sealed class DashboardHub : IDisposable
    {
        static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
        const int TicksPerStatus = 10;
        /// <summary>Events sent per tick at most; beyond it they wait in the feed (which drops and counts when full).</summary>
        const int MaxEventsPerTick = 5000;
        const int EventsPerBatch = 1000;

        readonly DashboardScope _scope;
        readonly DashboardFeed _feed = new DashboardFeed();
        readonly List<EventStreamClient> _clients = new List<EventStreamClient>();
        readonly Action _scopeGone;
        readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
        readonly Timer _timer;
        int _busy, _ticks, _shownCount;
        long _eventsSent, _pageDropped;
        bool _disposed;

        /// <param name="scopeGone">Called (once, on the timer) when every network the scope was given has stopped.</param>
        public DashboardHub(DashboardScope scope, Action scopeGone)
        {
            _scope = scope;
            _scopeGone = scopeGone;
            _timer = new Timer(_ => OnTick(), null, Tick, Tick);
        }

        public DashboardScope Scope => _scope;
        public int Clients { get { lock (_clients) return _clients.Count(c => !c.IsClosed); } }
        public long EventsSent => Interlocked.Read(ref _eventsSent);
        /// <summary>Events dropped before any page saw them: the feed's full queue, and pages' full queues (counted per event batch).</summary>
        public long EventsDropped => _feed.Dropped + Interlocked.Read(ref _pageDropped);
        public long EventsReceived => _feed.Received;
        public int SubscribedNodes => _feed.Subscribed;
        public int ShownNodes => Volatile.Read(ref _shownCount);

        public string StateJson()
        {
            var systems = _scope.Systems();
            Volatile.Write(ref _shownCount, systems.Sum(s => s.Shown.Count));
            return DashboardJson.State(_scope.Title, _scope.MaxNodes, systems);
        }

        public void Add(EventStreamClient client)
        {
            lock (_clients) { if (_disposed) { client.Close(); return; } _clients.Add(client); }
            client.Send("hello", "{}");
            // Subscribe at once, so the page misses nothing that happens from its first second on.
            SendStatus(_scope.Systems());
        }

        public void Remove(EventStreamClient client)
        {
            lock (_clients) _clients.Remove(client);
        }

        void OnTick()
        {
            if (Interlocked.Exchange(ref _busy, 1) == 1) return;   // a slow tick is not stacked on
            try
            {
                for (int sent = 0; sent < MaxEventsPerTick;)
                {
                    var batch = _feed.Take(EventsPerBatch);
                    if (batch.Count == 0) break;
                    Broadcast("events", DashboardJson.Events(batch), batch.Count);
                    sent += batch.Count;
                }
                if (++_ticks % TicksPerStatus == 0)
                {
                    if (_scope.AllNetworksStopped) { _scopeGone(); return; }
                    SendStatus(_scope.Systems());
                }
            }
            catch (Exception) { /* a node that changes under us is read again next tick */ }
            finally { Volatile.Write(ref _busy, 0); }
        }

        void Broadcast(string name, string json, int events)
        {
            EventStreamClient[] clients;
            lock (_clients) clients = _clients.ToArray();
            foreach (var c in clients)
            {
                long before = c.Dropped;
                c.Send(name, json);
                if (events > 0 && c.Dropped > before) Interlocked.Add(ref _pageDropped, events);
            }
            if (events > 0) Interlocked.Add(ref _eventsSent, events);
        }

        void SendStatus(List<DashboardSystem> systems)
        {
            Volatile.Write(ref _shownCount, systems.Sum(s => s.Shown.Count));
            bool watched = Clients > 0;
            if (watched)
            {
                var shown = new Dictionary<PeerNodeBase, string>();
                foreach (var s in systems) foreach (var n in s.Shown) shown[n] = s.Id;
                _feed.Watch(shown);
            }
            else _feed.Unwatch();
            if (!watched) return;
            Broadcast("status", DashboardJson.Status(Status(systems)), 0);
        }

        DashboardStatus Status(List<DashboardSystem> systems)
        {
            var status = new DashboardStatus { Version = DashboardJson.Version(systems) };
            var counters = new DashboardCounters();
            // Counters over every node (a network's unsampled nodes too): they are the nodes' own, read, not subscribed.
            var networks = _scope.Networks.Where(n => !n.IsStopped).ToList();
            foreach (var network in networks) foreach (var node in DashboardNetworks.Nodes(network)) counters.Add(node);
            foreach (var s in systems)
            {
                if (s.Id.StartsWith("nodes:", StringComparison.Ordinal)) foreach (var n in s.Shown) counters.Add(n);
                foreach (var n in s.Shown)
                    if (n is BitTorrentPeer peer) status.Swarm.Add(new KeyValuePair<string, BitTorrentPeer>(s.Id, peer));
            }
            counters.WriteTo(status, _feed.Received);
            // Virtual time when everything watched is simulated (a simulation's own clock), else seconds since the start.
            var simulated = networks.FirstOrDefault(n => n.Simulated);
            status.Virtual = systems.Count > 0 && systems.All(s => s.Simulated) && simulated != null;
            status.Seconds = status.Virtual ? simulated.Elapsed.TotalSeconds : (DateTimeOffset.UtcNow - _started).TotalSeconds;
            status.EventsSent = EventsSent;
            status.EventsDropped = EventsDropped;
            return status;
        }

        public void Dispose()
        {
            EventStreamClient[] clients;
            lock (_clients)
            {
                if (_disposed) return;
                _disposed = true;
                clients = _clients.ToArray();
                _clients.Clear();
            }
            _timer.Dispose();
            _feed.Dispose();
            foreach (var c in clients) c.Close();
        }
    }
}
