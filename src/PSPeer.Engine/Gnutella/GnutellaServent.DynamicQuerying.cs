using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Dynamic querying (the GDF's Dynamic Query Protocol, as LimeWire and gtk-gnutella run it).</summary>
    /// <remarks>
    /// An ultrapeer does not flood its leaves' queries (nor, without a TTL, its own): it probes a few ultrapeer links
    /// with a low TTL, then, one link at a time, sends the query on with the TTL that should bring in the results still
    /// missing, judged from the results per ultrapeer reached so far. It stops as soon as it has the results it wants,
    /// when every ultrapeer link has had the query (the horizon is reached), or when its time is up. A popular file thus
    /// costs a handful of messages; a rare one is looked for as widely as a flood would.
    /// The horizon of one copy sent with TTL t to an ultrapeer of degree d is the ultrapeers at most t hops away through
    /// it: 1 + (d-1) + ... + (d-1)^(t-1), discounted by 20% a hop for cycles and duplicates. Here the hop to a leaf counts
    /// like any other, so the probe uses TTL 2 (the neighbour and its leaves) where gtk-gnutella uses 1, and no copy goes
    /// out with less.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        const int DqProbeLinks = 3;
        const int DqMinTtl = 2;
        const double DqMaxHorizon = 500_000;
        const double DqHopDiscount = 0.8;
        static readonly TimeSpan DqMinStep = TimeSpan.FromMilliseconds(400);
        static readonly TimeSpan DqLifetime = TimeSpan.FromMinutes(2);
        // Under _gate; made on the first dynamic query (most servents of a simulated network never run one).
        Dictionary<GnutellaGuid, GnutellaDynamicQuery> _dynamicQueries;

        /// <summary>The highest TTL a query arrived with (kept only with DynamicQuerying, as gtk-gnutella's X-Ext-Probes).</summary>
        sealed class SeenTtl { public byte Ttl; }

        /// <summary>
        /// Under _gate: remembers a fresh query's TTL, or, for a duplicate, whether it came with a higher TTL than any
        /// copy before (<paramref name="before"/>: the highest so far). A probe reaches ultrapeers with a low TTL; the
        /// copy that dynamic querying sends them directly later must not be dropped as a mere duplicate.
        /// </summary>
        bool NoteQueryTtl(DescriptorHeader header, bool fresh, out byte before)
        {
            before = 0;
            if (fresh)
            {
                QueryTtls.TryAdd(header.Id, new SeenTtl { Ttl = header.Ttl });
                return false;
            }
            if (!QueryTtls.TryGet(header.Id, out var seen) || header.Ttl <= seen.Ttl) return false;
            before = seen.Ttl;
            seen.Ttl = header.Ttl;
            return true;
        }

        /// <summary>Ultrapeers reachable with <paramref name="ttl"/> through one ultrapeer of <paramref name="degree"/> links.</summary>
        internal static double Horizon(int degree, int ttl)
        {
            double hosts = 0, level = 1, fanOut = Math.Max(0, degree - 1);
            for (int hop = 0; hop < ttl; hop++)
            {
                hosts += level;
                level *= fanOut;
            }
            return hosts * Math.Pow(DqHopDiscount, Math.Max(0, ttl - 1));
        }

        /// <summary>A leaf's query: its other leaves get it as usual, the ultrapeers by dynamic querying.</summary>
        void StartLeafDynamicQuery(GnutellaLink leaf, DescriptorHeader header, Query query, byte[] payload)
        {
            DeliverToLeaves(leaf, header, query, payload);
            var dq = new GnutellaDynamicQuery(header.Id, query, payload, header.Hops, Options.DynamicQueryResults, leaf, null);
            lock (_gate) (_dynamicQueries ?? (_dynamicQueries = new Dictionary<GnutellaGuid, GnutellaDynamicQuery>()))[header.Id] = dq;
            _ = RunDynamicQueryAsync(dq, Runtime.Clock.Now + DqLifetime, Stopping);
        }

        /// <summary>A QueryHit went back to a leaf: it counts for that leaf's dynamic query, if one runs.</summary>
        void CountDynamicResults(GnutellaGuid id, int results)
        {
            GnutellaDynamicQuery dq;
            lock (_gate)
            {
                if (_dynamicQueries == null || _dynamicQueries.Count == 0 || !_dynamicQueries.TryGetValue(id, out dq)) return;
            }
            dq.AddResults(results);
        }

        /// <summary>Our own search without a TTL on an ultrapeer: our leaves at once, the ultrapeers dynamically.</summary>
        async Task SearchDynamicallyAsync(GnutellaSearch search, Query query, int wanted, DateTimeOffset deadline, CancellationToken token)
        {
            var id = GnutellaGuid.New(Runtime.Random);
            lock (_gate)
            {
                QueryRoutes.TryAdd(id, Self);
                AddSearchRoute(id, search);
            }
            search.Sent(id, Runtime.Clock.Now);
            var payload = GnutellaCodec.EncodePayload(query);
            DeliverToLeaves(null, new DescriptorHeader(id, GnutellaPayloadType.Query, 1, 0, payload.Length), query, payload);
            var dq = new GnutellaDynamicQuery(id, query, payload, 0, wanted, null, search);
            await RunDynamicQueryAsync(dq, deadline, token);
        }

        async Task RunDynamicQueryAsync(GnutellaDynamicQuery dq, DateTimeOffset deadline, CancellationToken token)
        {
            Counters.Add(ref Counters.dynamicQueries);
            try
            {
                int ttl = DqMinTtl;
                // The probe takes at most half the ultrapeer links, so there are links left to widen on; with a single
                // link there is no probe, and that link gets the TTL the whole search needs.
                // Probing the ultrapeers of fewest links first keeps the probe small: a TTL 2 copy to a hub of 30 links
                // is already a flood of 30 ultrapeers and their leaves.
                var probe = NextUltrapeers(dq).ToList();
                foreach (var link in probe.OrderBy(l => l.AdvertisedDegree > 0 ? l.AdvertisedDegree : LegacyDegree).Take(Math.Min(DqProbeLinks, probe.Count / 2)))
                    SendDynamic(dq, link, Math.Min(DqMinTtl, MaxTtlTo(dq, link)));
                // Wait one step before widening even when nothing was probed: our leaves had the query at once, and
                // an ultrapeer with no (or one) ultrapeer link would otherwise end the search before their hits return.
                bool wait = true;
                while (!token.IsCancellationRequested)
                {
                    if (wait)
                    {
                        // Each step waits long enough for hits from as far as the last copy went (and its leaves) to come back.
                        var now = Runtime.Clock.Now;
                        var step = StepWait(ttl);
                        if (deadline - now < step) step = deadline - now;
                        if (step <= TimeSpan.Zero) break;
                        var delay = Runtime.Clock.Delay(step, token);
                        await Task.WhenAny(dq.Enough, delay);
                        if (delay.IsCanceled || delay.IsFaulted) { _ = delay.Exception; }
                    }
                    wait = true;
                    if (dq.Enough.IsCompleted || dq.Results >= dq.Wanted || token.IsCancellationRequested) break;
                    if (dq.Origin != null && dq.Origin.IsClosed) break;   // nobody to give the results to
                    if (dq.Horizon >= DqMaxHorizon) break;
                    var remaining = NextUltrapeers(dq).ToList();
                    if (remaining.Count > 0)
                    {
                        var next = remaining[0];
                        ttl = SelectTtl(dq, next, remaining.Count);
                        SendDynamic(dq, next, ttl);
                        continue;
                    }
                    // Every link has had it and results are still short: go further through the links that pass on a
                    // wider copy (X-Ext-Probes) and can reach more, lowest TTL first, until each is at its widest.
                    var wider = WidenableUltrapeers(dq).ToList();
                    if (wider.Count == 0) break;                           // the horizon is reached
                    var link = wider[0];
                    ttl = Math.Max(dq.SentTtl[link] + 1, SelectTtl(dq, link, wider.Count));
                    SendDynamic(dq, link, ttl);
                }
            }
            catch (OperationCanceledException) { }
            finally
            {
                if (dq.Origin != null) lock (_gate) _dynamicQueries?.Remove(dq.Id);
            }
        }

        TimeSpan StepWait(int ttl)
        {
            // Hits from ttl hops out (and a leaf one hop further) need ttl + 1 round trips; half again for queues.
            var scaled = TimeSpan.FromTicks(RoundTrip.Ticks * 3 * (ttl + 1) / 2);
            return scaled > DqMinStep ? scaled : DqMinStep;
        }

        /// <summary>Ultrapeer links that have not had the query, those whose last-hop table may match first.</summary>
        IEnumerable<GnutellaLink> NextUltrapeers(GnutellaDynamicQuery dq)
        {
            var open = Volatile.Read(ref _links).Where(l => l.RemoteIsUltrapeer && !l.IsClosed && l != dq.Origin && !dq.SentTtl.ContainsKey(l)).ToList();
            return open.Where(l => !SkipsLastHop(l, dq.Query)).Concat(open.Where(l => SkipsLastHop(l, dq.Query)));
        }

        /// <summary>
        /// Links that had the query below their widest TTL, pass on wider copies, and have more than one link (else a
        /// wider TTL reaches nobody new), lowest TTL first.
        /// </summary>
        IEnumerable<GnutellaLink> WidenableUltrapeers(GnutellaDynamicQuery dq) =>
            dq.SentTtl.Where(kv => !kv.Key.IsClosed && kv.Key.ExtProbes && kv.Key.AdvertisedDegree >= 2 && kv.Value < MaxTtlTo(dq, kv.Key))
                .OrderBy(kv => kv.Value).Select(kv => kv.Key);

        int MaxTtlTo(GnutellaDynamicQuery dq, GnutellaLink link)
        {
            int max = Options.MaxTtl - dq.Hops;
            if (link.AdvertisedMaxTtl > 0) max = Math.Min(max, link.AdvertisedMaxTtl);
            return Math.Max(1, max);
        }

        /// <summary>
        /// The highest TTL whose horizon through <paramref name="link"/> stays within its share of the ultrapeers still
        /// to reach: the results missing, divided by the results per ultrapeer reached so far, split evenly over the
        /// <paramref name="links"/> not yet queried. No results yet: as far as the link lets it go.
        /// </summary>
        int SelectTtl(GnutellaDynamicQuery dq, GnutellaLink link, int links)
        {
            int max = MaxTtlTo(dq, link), min = Math.Min(DqMinTtl, max);
            int missing = Math.Max(1, dq.Wanted - dq.Results);
            double perUltrapeer = dq.Results / Math.Max(1.0, dq.Horizon);
            double toReach = missing / Math.Max(perUltrapeer, 1e-6) / Math.Max(1, links);
            int degree = link.AdvertisedDegree > 0 ? link.AdvertisedDegree : LegacyDegree;
            for (int ttl = max; ttl > min; ttl--)
                if (Horizon(degree, ttl) <= toReach) return ttl;
            return min;
        }

        void SendDynamic(GnutellaDynamicQuery dq, GnutellaLink link, int ttl)
        {
            int degree = link.AdvertisedDegree > 0 ? link.AdvertisedDegree : LegacyDegree;
            double already = dq.SentTtl.TryGetValue(link, out int before) ? Horizon(degree, before) : 0;
            dq.SentTtl[link] = ttl;
            var header = new DescriptorHeader(dq.Id, GnutellaPayloadType.Query, (byte)ttl, dq.Hops, dq.Payload.Length);
            if (ttl == 1 && SkipsLastHop(link, dq.Query))
            {
                Counters.Add(ref Counters.queriesSkippedLastHop);
                return;
            }
            if (!OutgoingFrame.Send(link, header, dq.Payload, GnutellaPayloadType.Query)) return;
            dq.Sent++;
            dq.Horizon += Math.Max(0, Horizon(degree, ttl) - already);
            if (dq.Origin != null) Counters.Add(ref Counters.queriesForwarded);
            if (HasEventObservers)
                Emit(PeerEventTypes.QueryForwarded, link.Remote, dq.Query.Criteria, D("guid", dq.Id.ToString()), D("ttl", ttl), D("hops", (int)dq.Hops),
                    D("count", 1), D("Dynamic", true), D("Results", dq.Results), D("Horizon", Math.Round(dq.Horizon)));
        }
    }
}
