using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Searching: a single flood with a given TTL, an expanding ring (TTL 1, 2, ... MaxTtl), or dynamic querying.</summary>
    public sealed partial class GnutellaServent
    {
        // Under _gate; made on the servent's first search (most servents of a simulated network never search).
        Dictionary<GnutellaGuid, GnutellaSearch> _searches;

        // Under _gate.
        void AddSearchRoute(GnutellaGuid id, GnutellaSearch search) =>
            (_searches ?? (_searches = new Dictionary<GnutellaGuid, GnutellaSearch>()))[id] = search;
        static readonly TimeSpan MinRingWait = TimeSpan.FromMilliseconds(250);
        static readonly TimeSpan FirstLinkWait = TimeSpan.FromSeconds(5);

        /// <summary>
        /// Floods <paramref name="query"/> and passes each hit on as it arrives. options.Ttl set: one flood with that
        /// TTL, waiting until Timeout or MaxResults. Otherwise an expanding ring: TTL 1, 2, ... MaxTtl, each ring
        /// waiting a period scaled by the measured link round trip (2 x TTL round trips, at least 250 ms) before it
        /// widens; it stops at MaxResults, at Timeout, or when the widest ring has had its wait.
        /// Without a TTL, an ultrapeer with DynamicQuerying queries dynamically instead (GnutellaServent.DynamicQuerying.cs),
        /// aiming for MaxResults; a leaf whose ultrapeers all say X-Dynamic-Querying sends one query and waits.
        /// A query "urn:sha1:BASE32" searches by content hash.
        /// </summary>
        public async Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default)
        {
            options = options ?? new SearchOptions();
            if (State != NodeState.Running)
                throw new PeerException(PeerErrorIds.NodeNotRunning, $"Gnutella servent '{Name}' is not running: start it before searching through it.");
            var started = Runtime.Clock.Now;
            // No timeout (zero or less) means until MaxResults or cancellation, as for the other protocols; a day stands in
            // for "forever" so every delay stays within what timers accept.
            var timeout = options.Timeout > TimeSpan.Zero ? options.Timeout : TimeSpan.FromDays(1);
            var deadline = started + timeout;
            if (ConnectionCount == 0 && Options.AutoConnect) await WaitForFirstLinkAsync(timeout < FirstLinkWait ? timeout : FirstLinkWait, cancellationToken);
            if (cancellationToken.IsCancellationRequested) return;
            if (ConnectionCount == 0)
                throw new PeerException(PeerErrorIds.Unreachable,
                    $"Gnutella servent '{Name}' has no links to search through: give it -Bootstrap servents, or connect it to one first.");

            var payload = MakeQuery(query ?? "");
            var search = new GnutellaSearch(query ?? "", options.MaxResults, onHit);
            var rings = new List<int>();
            bool dynamic = !options.Ttl.HasValue && !IsLeaf && Options.DynamicQuerying;
            // A leaf whose ultrapeers all query dynamically sends one query, to one of them, and leaves the widening to
            // it: an expanding ring would start a new dynamic query per ring, and each ultrapeer would run its own.
            bool leavesItToUltrapeer = !options.Ttl.HasValue && IsLeaf && LeavesWideningToUltrapeers();
            if (options.Ttl.HasValue) rings.Add(Math.Max(1, Math.Min(Options.MaxTtl, options.Ttl.Value)));
            else if (leavesItToUltrapeer) rings.Add(Options.MaxTtl);
            else if (!dynamic) for (int t = 1; t <= Options.MaxTtl; t++) rings.Add(t);

            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping))
            using (stop.Token.Register(search.Finish))
            {
                try
                {
                    if (dynamic) await SearchDynamicallyAsync(search, payload, options.MaxResults, deadline, stop.Token);
                    bool oneQuery = rings.Count == 1;
                    foreach (int ttl in rings)
                    {
                        if (search.IsDone) break;
                        var now = Runtime.Clock.Now;
                        if (now >= deadline) break;
                        SendOwnQuery(search, payload, (byte)ttl, oneUltrapeer: leavesItToUltrapeer);
                        var wait = oneQuery ? deadline - now : Min(RingWait(ttl), deadline - now);
                        var delay = Runtime.Clock.Delay(wait, stop.Token);
                        await Task.WhenAny(search.Completion, delay);
                        if (delay.IsFaulted || delay.IsCanceled) { _ = delay.Exception; }
                    }
                }
                finally
                {
                    search.Finish();
                    stop.Cancel();   // ends the ring's pending delay
                    lock (_gate) if (_searches != null) foreach (var id in search.Ids) _searches.Remove(id);
                }
            }
            search.Failure?.Throw();
        }

        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        bool LeavesWideningToUltrapeers()
        {
            var ultrapeers = Volatile.Read(ref _links).Where(l => l.RemoteIsUltrapeer).ToList();
            return ultrapeers.Count > 0 && ultrapeers.All(l => l.DynamicQuerying);
        }

        TimeSpan RingWait(int ttl)
        {
            var scaled = TimeSpan.FromTicks(RoundTrip.Ticks * 2 * ttl);
            return scaled > MinRingWait ? scaled : MinRingWait;
        }

        async Task WaitForFirstLinkAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            var until = Runtime.Clock.Now + limit;
            while (ConnectionCount == 0 && Runtime.Clock.Now < until && !cancellationToken.IsCancellationRequested && !Stopping.IsCancellationRequested)
            {
                try { await Runtime.Clock.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }

        Query MakeQuery(string text)
        {
            // Modern flags; a firewalled searcher says so, so firewalled servents (whose files would need a Push we
            // could not take) keep their hits to themselves.
            ushort flags = (ushort)(Query.NewSemantics | (IsFirewalled ? Query.SearcherFirewalled : 0));
            string trimmed = text.Trim();
            if (trimmed.StartsWith(ContentHash.Prefix, StringComparison.OrdinalIgnoreCase) && ContentHash.TryParse(trimmed, out var hash))
                return new Query { Flags = flags, Criteria = "", Urns = new[] { hash } };
            return new Query { Flags = flags, Criteria = text, Urns = new ContentHash[0] };
        }

        /// <summary>One ring: a new GUID, sent to every ultrapeer link (a leaf's: to its ultrapeers) and matching leaves.</summary>
        void SendOwnQuery(GnutellaSearch search, Query query, byte ttl, bool oneUltrapeer = false)
        {
            var id = GnutellaGuid.New(Runtime.Random);
            using (Locked(_gate))
            {
                QueryRoutes.TryAdd(id, Self);
                AddSearchRoute(id, search);
            }
            search.Sent(id, Runtime.Clock.Now);
            var payload = GnutellaCodec.EncodePayload(query);
            var header = new DescriptorHeader(id, GnutellaPayloadType.Query, ttl, 0, payload.Length);
            var frame = OutgoingFrame.Rent().Of(header, payload);
            foreach (var l in Volatile.Read(ref _ultrapeerLinks))
            {
                if (l == null) break;   // the links end at the first empty entry
                if (ttl == 1 && SkipsLastHop(l, query)) { Counters.Add(ref Counters.queriesSkippedLastHop); continue; }
                if (frame.SendTo(l, GnutellaPayloadType.Query) && oneUltrapeer) break;
            }
            frame.Return();
            // Our own leaves are one hop away: the header they see is the one we sent, aged by that hop.
            if (!IsLeaf) DeliverToLeaves(null, header, query, payload);
            if (HasEventObservers)
                Emit(PeerEventTypes.QueryForwarded, null, search.Query, D("guid", id.ToString()), D("ttl", (int)ttl), D("hops", 0), D("count", Volatile.Read(ref _links).Length), D("Own", true));
        }

        /// <summary>A QueryHit for one of our searches: each result becomes a SearchHit.</summary>
        [ThreadStatic] static System.Text.StringBuilder t_hitKey;

        void DeliverHits(GnutellaLink link, DescriptorHeader header, QueryHit hit)
        {
            GnutellaSearch search;
            search = null;
            using (Locked(_gate)) _searches?.TryGetValue(header.Id, out search);
            if (search == null) return;   // the search finished; its route stays until it expires
            var now = Runtime.Clock.Now;
            string source = new HostPort(hit.Address, hit.Port).ToString();
            string servent = hit.ServentId.ToString();
            string peerName = (string.IsNullOrEmpty(hit.VendorCode) ? "" : hit.VendorCode + ":") + servent;
            var latency = now - search.SentAt(header.Id);
            var results = hit.Results;
            var key = t_hitKey ?? (t_hitKey = new System.Text.StringBuilder());
            for (int i = 0; i < results.Count; i++)   // not foreach: an IReadOnlyList's enumerator is an object
            {
                var r = results[i];
                var sh = new SearchHit(r.Name, r.FileSize, r.Hash ?? default(ContentHash), source, (int)r.FileIndex, peerName, header.Hops, latency)
                {
                    ServentId = servent,
                    NeedsPush = hit.Push,
                };
                // servent/index/name, made in one string (a concatenation of five parts made three objects).
                key.Clear().Append(servent).Append('/').Append(r.FileIndex).Append('/').Append(r.Name);
                if (search.Deliver(sh, key.ToString()) && HasEventObservers)
                    Emit(PeerEventTypes.SearchHit, source, r.Name, D("Query", search.Query), D("Name", r.Name), D("Size", r.FileSize),
                        D("ContentHash", r.Hash?.ToString() ?? ""), D("PeerName", peerName), D("hops", (int)header.Hops), D("guid", header.Id.ToString()),
                        D("NeedsPush", hit.Push));
            }
        }
    }
}
