using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using PSPeer.Engine.Core;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The events of the nodes a page shows, on their way to it. A node's event only goes into a bounded queue here
    /// (a lock-free enqueue, or a count when the queue is full): nothing on the node's own thread waits, formats or
    /// sends, so a dashboard never slows a node and never changes the order in which a simulation runs. The
    /// dashboard's timer takes batches out on the thread pool. Only shown nodes are subscribed, and only while a page
    /// is connected: an unwatched node keeps paying nothing for its events.
    /// </summary>
    internal sealed class DashboardFeed : IDisposable
    {
        /// <summary>Events that may wait between two batches before newer ones are dropped (and counted).</summary>
        public const int Capacity = 50_000;

        readonly ConcurrentQueue<KeyValuePair<string, PeerEvent>> _queue = new ConcurrentQueue<KeyValuePair<string, PeerEvent>>();
        readonly Dictionary<PeerNodeBase, IDisposable> _subscriptions = new Dictionary<PeerNodeBase, IDisposable>();
        readonly object _gate = new object();
        int _queued;
        long _received, _dropped;
        bool _disposed;

        /// <summary>Events taken from nodes since the dashboard started.</summary>
        public long Received => Interlocked.Read(ref _received);
        /// <summary>Events dropped because the queue was full (the page was slower than the nodes).</summary>
        public long Dropped => Interlocked.Read(ref _dropped);
        /// <summary>Nodes subscribed now.</summary>
        public int Subscribed { get { lock (_gate) return _subscriptions.Count; } }

        /// <summary>Subscribes exactly <paramref name="nodes"/> (node to its system's id): new ones are added, the rest dropped.</summary>
        public void Watch(IReadOnlyDictionary<PeerNodeBase, string> nodes)
        {
            var gone = new List<IDisposable>();
            lock (_gate)
            {
                if (_disposed) return;
                foreach (var old in new List<PeerNodeBase>(_subscriptions.Keys))
                    if (!nodes.ContainsKey(old)) { gone.Add(_subscriptions[old]); _subscriptions.Remove(old); }
                foreach (var kv in nodes)
                {
                    if (_subscriptions.ContainsKey(kv.Key) || kv.Key.State == NodeState.Stopped) continue;
                    string system = kv.Value;
                    _subscriptions[kv.Key] = kv.Key.Events.Subscribe(e => Offer(system, e), _ => { }, () => { });
                }
            }
            foreach (var s in gone) s.Dispose();
        }

        /// <summary>Unsubscribes every node (no page is connected).</summary>
        public void Unwatch() => Watch(new Dictionary<PeerNodeBase, string>());

        // On the node's thread (the simulation's loop, or the node's delivery queue live): enqueue or count, nothing more.
        void Offer(string system, PeerEvent e)
        {
            Interlocked.Increment(ref _received);
            if (Interlocked.Increment(ref _queued) > Capacity)
            {
                Interlocked.Decrement(ref _queued);
                Interlocked.Increment(ref _dropped);
                return;
            }
            _queue.Enqueue(new KeyValuePair<string, PeerEvent>(system, e));
        }

        /// <summary>Takes up to <paramref name="max"/> events, oldest first.</summary>
        public List<KeyValuePair<string, PeerEvent>> Take(int max)
        {
            var batch = new List<KeyValuePair<string, PeerEvent>>();
            while (batch.Count < max && _queue.TryDequeue(out var e))
            {
                Interlocked.Decrement(ref _queued);
                batch.Add(e);
            }
            return batch;
        }

        public void Dispose()
        {
            lock (_gate) { if (_disposed) return; }
            Unwatch();
            lock (_gate) _disposed = true;
            while (_queue.TryDequeue(out _)) { }
        }
    }
}
