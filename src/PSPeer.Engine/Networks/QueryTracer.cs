using System;
using System.Collections.Generic;
using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// Follows floods through a network by their GUID: which nodes received each query and at what hop, duplicates,
    /// forwards and hits routed back, from the Gnutella events every node emits. Keeps the newest floods only.
    /// Locked: live nodes emit from many threads.
    /// </summary>
    internal sealed class QueryTracer
    {
        readonly object _gate = new object();
        readonly int _maxFloods;
        readonly Dictionary<string, FloodTrace> _floods = new Dictionary<string, FloodTrace>(StringComparer.OrdinalIgnoreCase);
        readonly Queue<string> _order = new Queue<string>();
        long _floodsSeen;

        public QueryTracer(int maxFloods) => _maxFloods = Math.Max(1, maxFloods);

        /// <summary>Floods seen since the last reset (including those no longer kept).</summary>
        public long FloodsSeen { get { lock (_gate) return _floodsSeen; } }

        public IDisposable Attach(PeerNodeBase node, int index) =>
            node.EventsInline.Subscribe(e => OnEvent(index, e), _ => { }, () => { });

        public FloodTrace Find(string guid)
        {
            lock (_gate) return _floods.TryGetValue(guid, out var t) ? t : null;
        }

        public List<FloodTrace> Snapshot()
        {
            lock (_gate)
            {
                var list = new List<FloodTrace>(_order.Count);
                foreach (var guid in _order) list.Add(_floods[guid]);
                return list;
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _floods.Clear();
                _order.Clear();
                _floodsSeen = 0;
            }
        }

        void OnEvent(int node, PeerEvent e)
        {
            switch (e.Type)
            {
                case PeerEventTypes.QueryReceived:
                case PeerEventTypes.QueryDroppedDuplicate:
                case PeerEventTypes.QueryDroppedTtl:
                case PeerEventTypes.QueryForwarded:
                case PeerEventTypes.HitRoutedBack:
                case PeerEventTypes.HitDropped:
                    break;
                default:
                    return;
            }
            if (!(e["guid"] is string guid)) return;
            lock (_gate)
            {
                var trace = Get(guid, create: e.Type != PeerEventTypes.HitDropped);
                if (trace == null) return;
                switch (e.Type)
                {
                    case PeerEventTypes.QueryReceived: trace.Receive(node, ToInt(e["hops"])); trace.Copy(ToInt(e["hops"])); break;
                    case PeerEventTypes.QueryDroppedDuplicate: trace.Duplicates++; trace.Copy(ToInt(e["hops"])); break;
                    case PeerEventTypes.QueryDroppedTtl: trace.DroppedTtl++; break;
                    case PeerEventTypes.QueryForwarded:
                        trace.Forwards++; trace.Forwarders.Add(node);
                        if (ToInt(e["hops"]) == 0) trace.NoteSent(ToInt(e["ttl"]));   // the searcher's own send
                        break;
                    case PeerEventTypes.HitRoutedBack: trace.HitsRoutedBack++; trace.HitRouters.Add(node); break;
                    case PeerEventTypes.HitDropped: trace.HitsDropped++; break;
                }
            }
        }

        FloodTrace Get(string guid, bool create)
        {
            if (_floods.TryGetValue(guid, out var trace)) return trace;
            if (!create) return null;
            trace = new FloodTrace(guid);
            _floods.Add(guid, trace);
            _order.Enqueue(guid);
            _floodsSeen++;
            if (_order.Count > _maxFloods) _floods.Remove(_order.Dequeue());
            return trace;
        }

        static int ToInt(object value)
        {
            if (value == null) return 0;
            try { return Convert.ToInt32(value, CultureInfo.InvariantCulture); }
            catch (FormatException) { return 0; }
            catch (InvalidCastException) { return 0; }
        }
    }
}
