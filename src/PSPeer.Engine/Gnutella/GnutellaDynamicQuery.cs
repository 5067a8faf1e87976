using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One dynamic query in flight at an ultrapeer: the query, who asked (a leaf, or our own search), how many results
    /// it wants and has, which ultrapeer links have had it and the theoretical horizon that reached.
    /// </summary>
    /// <remarks>Only the query's own step loop touches <see cref="SentTtl"/>, Horizon and Sent; results arrive from any link.</remarks>
    sealed class GnutellaDynamicQuery
    {
        readonly TaskCompletionSource<bool> _enough = new TaskCompletionSource<bool>();
        readonly GnutellaSearch _ownSearch;
        int _results;

        public GnutellaDynamicQuery(GnutellaGuid id, Query query, byte[] payload, byte hops, int wanted, GnutellaLink origin, GnutellaSearch ownSearch)
        {
            Id = id;
            Query = query;
            Payload = payload;
            Hops = hops;
            Wanted = wanted < 1 ? 1 : wanted;
            Origin = origin;
            _ownSearch = ownSearch;
        }

        public GnutellaGuid Id { get; }
        public Query Query { get; }
        public byte[] Payload { get; }
        /// <summary>Hops the copies carry: 1 for a leaf's query (it came one hop), 0 for ours.</summary>
        public byte Hops { get; }
        public int Wanted { get; }
        /// <summary>The leaf whose query this is; null for our own search.</summary>
        public GnutellaLink Origin { get; }
        /// <summary>The TTL each ultrapeer link last had the query with.</summary>
        public readonly Dictionary<GnutellaLink, int> SentTtl = new Dictionary<GnutellaLink, int>();
        /// <summary>Ultrapeers the copies sent so far can reach, by the advertised degrees (see GnutellaServent.Horizon).</summary>
        public double Horizon;
        /// <summary>Copies sent to ultrapeer links.</summary>
        public int Sent;

        /// <summary>Results so far: what came back for the leaf, or what our own search passed on.</summary>
        public int Results => _ownSearch?.Count ?? Volatile.Read(ref _results);

        /// <summary>Completes when the query has what it wants (or our own search is over).</summary>
        public Task Enough => _ownSearch != null ? _ownSearch.Completion : _enough.Task;

        public void AddResults(int count)
        {
            if (Interlocked.Add(ref _results, count) >= Wanted) _enough.TrySetResult(true);
        }
    }
}
