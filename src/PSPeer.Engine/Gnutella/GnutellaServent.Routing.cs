using System;
using System.Collections.Generic;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// What a servent does with each descriptor: flood queries (ultrapeers), answer them, route QueryHits and Pongs
    /// back along the reverse path, route Pushes by servent GUID, keep leaves' QRP tables.
    /// </summary>
    /// <remarks>
    /// TTL and hops: on arrival a descriptor's TTL + hops is clamped to MaxTtl, then it ages one hop (TTL - 1,
    /// hops + 1) before anything else. So hops is the distance it has travelled to us (a neighbour's QueryHit arrives
    /// with hops 1, which is the Hops of the SearchHit), and a query is forwarded only while its aged TTL is above 0.
    /// Hot path: events are formatted only when someone watches (HasEventObservers); one frame is laid out per
    /// forwarded descriptor and shared by every link it goes out on (<see cref="OutgoingFrame"/>: in a buffer the
    /// thread reuses, for links whose writes are copied).
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        const int MaxResultsPerQuery = 64;
        const int MaxPongsPerPing = 6;
        // The 0.6 draft's pong cache answers a link from the cache at most this often; a Ping flood gets our own Pong only.
        static readonly TimeSpan CachedPongInterval = TimeSpan.FromSeconds(1);
        const int QrpPatchBytes = 4096;
        const int HitPayloadBudget = 16 * 1024;

        void OnMessage(GnutellaLink link, GnutellaMessage message)
        {
            if (Options.AutoConnect) link.LastHeard = _clock.Now;   // only the keepalive of AutoConnect reads it
            switch (message.Header.Type)
            {
                case GnutellaPayloadType.Query: OnQuery(link, message); break;
                case GnutellaPayloadType.QueryHit: OnQueryHit(link, message); break;
                case GnutellaPayloadType.Ping: OnPing(link, message); break;
                case GnutellaPayloadType.Pong: OnPong(link, message); break;
                case GnutellaPayloadType.Push: OnPush(link, message); break;
                case GnutellaPayloadType.Bye:
                    var bye = message.Payload as Bye;
                    link.Close($"Bye {bye?.Code} {bye?.Reason}".TrimEnd());
                    break;
                case GnutellaPayloadType.RouteTableUpdate: OnRouteTableUpdate(link, message); break;
                default:
                    // Vendor messages and HSEP (the reader refuses every other type): counted, never routed nor answered.
                    Counters.Add(ref Counters.extensionMessagesIgnored);
                    break;
            }
        }

        /// <summary>Clamps TTL + hops to MaxTtl, then ages the descriptor by the hop that brought it here.</summary>
        void Age(ref DescriptorHeader header)
        {
            int ttl = header.Ttl, hops = header.Hops, max = Options.MaxTtl;
            if (ttl + hops > max) ttl = Math.Max(0, max - hops);
            header.Ttl = (byte)Math.Max(0, ttl - 1);
            header.Hops = (byte)Math.Min(255, hops + 1);
        }

        KeyValuePair<string, object>[] RouteData(DescriptorHeader h) =>
            new[] { D("guid", h.Id.ToString()), D("ttl", (int)h.Ttl), D("hops", (int)h.Hops) };

        void OnQuery(GnutellaLink link, GnutellaMessage message)
        {
            var header = message.Header;
            if (!link.TryTakeQuery(_clock, Options.QueriesPerSecondPerLink))
            {
                Counters.Add(ref Counters.queriesRateLimited);
                if (HasEventObservers) Emit(PeerEventTypes.RateLimited, link.Remote, "query dropped: the link exceeds its query allowance", RouteData(header));
                return;
            }
            Age(ref header);
            bool fresh, wider = false;
            byte before = 0;
            using (Locked(_gate))
            {
                fresh = QueryRoutes.TryAdd(header.Id, link);
                if (_tracksQueryTtls) wider = NoteQueryTtl(header, fresh, out before);
            }
            if (!fresh && wider && !IsLeaf)
            {
                // Dynamic querying may send a copy with a higher TTL after a probe reached us: pass it on further (and
                // to our leaves, if the first copy's TTL stopped here), but answer only once.
                Counters.Add(ref Counters.queriesWidened);
                Forward(link, header, (Query)message.Payload, message.PayloadBytes, toLeaves: before == 0);
                return;
            }
            if (!fresh)
            {
                Counters.Add(ref Counters.queriesDroppedDuplicate);
                if (HasEventObservers) Emit(PeerEventTypes.QueryDroppedDuplicate, link.Remote, "duplicate query", RouteData(header));
                return;
            }
            link.MarkUseful(_clock.Now);   // a fresh query: the link carries searches (duplicates and Pings do not count)
            var query = (Query)message.Payload;
            if (HasEventObservers) Emit(PeerEventTypes.QueryReceived, link.Remote, query.Criteria, RouteData(header));

            AnswerLocally(link, header, query);
            if (IsLeaf) return;   // leaves never route
            if (Options.DynamicQuerying && link.RemoteIsLeaf)
            {
                StartLeafDynamicQuery(link, header, query, message.PayloadBytes);
                return;
            }
            Forward(link, header, query, message.PayloadBytes);
        }

        /// <summary>
        /// Ultrapeer: while TTL lasts, to every other ultrapeer and to each leaf whose QRP table may match. The hop to
        /// a leaf counts like any other: a query sent with TTL t reaches nodes at most t hops away, leaves included,
        /// so every QueryHit's TTL (hops + 2, at most MaxTtl) covers its way back. (Passing a spent query on to leaves
        /// anyway would reach MaxTtl + 1 hops, and those leaves' hits would die one hop short of the searcher.)
        /// </summary>
        void Forward(GnutellaLink from, DescriptorHeader header, Query query, byte[] payload, bool toLeaves = true)
        {
            int forwarded = 0, toLeavesCount = 0;
            if (header.Ttl > 0)
            {
                OutgoingFrame frame = null;   // laid out for the first link it goes to, and shared by the others
                foreach (var l in System.Threading.Volatile.Read(ref _ultrapeerLinks))
                {
                    if (l == null) break;   // the links end at the first empty entry
                    if (l == from) continue;
                    // The last hop: an ultrapeer whose last-hop QRP table cannot match would only drop it.
                    if (header.Ttl == 1 && SkipsLastHop(l, query))
                    {
                        Counters.Add(ref Counters.queriesSkippedLastHop);
                        continue;
                    }
                    if (frame == null) frame = OutgoingFrame.Rent().Of(header, payload);
                    if (frame.SendTo(l, GnutellaPayloadType.Query)) forwarded++;
                }
                frame?.Return();
                Counters.Add(ref Counters.queriesForwarded, forwarded);
                toLeavesCount = toLeaves ? DeliverToLeaves(from, header, query, payload) : 0;
            }
            else
            {
                Counters.Add(ref Counters.queriesDroppedTtl);
                if (HasEventObservers) Emit(PeerEventTypes.QueryDroppedTtl, from?.Remote, "TTL expired", RouteData(header));
            }
            if (HasEventObservers && (forwarded > 0 || toLeavesCount > 0))
                Emit(PeerEventTypes.QueryForwarded, from?.Remote, query.Criteria,
                    D("guid", header.Id.ToString()), D("ttl", (int)header.Ttl), D("hops", (int)header.Hops), D("count", forwarded), D("leaves", toLeavesCount));
        }

        /// <summary>
        /// Leaves get a query only when their QRP table says they may match; a leaf whose first table has not arrived
        /// gets nothing. The copy says TTL 1: leaves never pass it on.
        /// </summary>
        int DeliverToLeaves(GnutellaLink from, DescriptorHeader header, Query query, byte[] payload)
        {
            var leaves = System.Threading.Volatile.Read(ref _leaves);
            if (leaves.Length == 0 || leaves[0].Link == null) return 0;
            var fold = FoldOf(query);
            int delivered = 0, filtered = 0;
            OutgoingFrame frame = null;
            for (int i = 0; i < leaves.Length; i++)
            {
                var l = leaves[i].Link;
                if (l == null) break;   // the leaves end at the first empty entry
                if (l == from) continue;
                bool may = false;
                // A fold that cannot match rules its table out without reading the link or the table
                // (GnutellaServent.LeafFolds.cs); a table not yet arrived folds to 0.
                if (fold.MayMatch(leaves[i].Fold))
                {
                    var table = l.QueryRouteTable;
                    // The leaf's own read loop may be applying a patch to this table right now (live): same lock.
                    if (table != null) using (Locked(table)) may = table.MayMatch(query);
                }
                if (!may)
                {
                    filtered++;
                    continue;
                }
                if (frame == null)
                {
                    var last = header;
                    last.Ttl = 1;
                    frame = OutgoingFrame.Rent().Of(last, payload);
                }
                if (frame.SendTo(l, GnutellaPayloadType.Query)) delivered++;
            }
            frame?.Return();
            Counters.Add(ref Counters.queriesFilteredByQrp, filtered);
            Counters.Add(ref Counters.queriesDeliveredToLeaves, delivered);
            return delivered;
        }

        Func<ContentHash, SharedFile> _byHash;   // Shared.GetByHash, made once rather than per query answered

        void AnswerLocally(GnutellaLink link, DescriptorHeader header, Query query)
        {
            var local = _local;
            if (local.Files.Count == 0) return;
            // Both ends firewalled: neither could connect to the other, not even by Push. Real servents stay quiet too.
            if (IsFirewalled && query.IsFromFirewalledServent) return;
            var files = local.Match(query.Criteria, query.Urns, _byHash ?? (_byHash = Shared.GetByHash), MaxResultsPerQuery);
            if (files == null || files.Count == 0) return;
            // Enough TTL to retrace the query's path (hops) with a little slack, never above MaxTtl.
            byte ttl = (byte)Math.Min(Options.MaxTtl, header.Hops + 2);
            // Results go out in QueryHits of at most about HitPayloadBudget bytes, so long file names can never make a
            // descriptor that other servents (ours included: MaxPayloadLength) refuse as oversized.
            var hitParts = HitParts.Rent();
            var results = hitParts.Results;
            int budget = 0, sent = 0;
            foreach (var f in files)
            {
                int size = 8 + System.Text.Encoding.UTF8.GetByteCount(f.Name) + 2 + 41;   // index, size, name, NULs, urn
                if (results.Count > 0 && budget + size > HitPayloadBudget)
                {
                    SendHit(link, header.Id, ttl, hitParts);
                    sent += results.Count;
                    results.Clear();
                    budget = 0;
                }
                results.Add(hitParts.Result(f));
                budget += size;
            }
            SendHit(link, header.Id, ttl, hitParts);
            sent += results.Count;
            hitParts.Return();
            if (HasEventObservers)
                Emit(PeerEventTypes.SearchAnswered, link.Remote, $"{sent} result(s) for '{query.Criteria}'",
                    D("guid", header.Id.ToString()), D("hops", (int)header.Hops), D("Count", sent));
        }

        void SendHit(GnutellaLink link, GnutellaGuid id, byte ttl, HitParts parts)
        {
            var hit = parts.Hit;
            hit.Port = _listenEndPoint.Port;
            hit.Address = _listenEndPoint.Host;
            hit.Speed = 10000;
            hit.Results = parts.Results;
            hit.VendorCode = "PSPR";
            hit.Push = IsFirewalled;
            hit.Busy = false;
            hit.ServentId = ServentId;
            link.Send(GnutellaCodec.Encode(id, ttl, 0, hit), GnutellaPayloadType.QueryHit);
            Counters.Add(ref Counters.hitsSent);
        }

        /// <summary>
        /// The QueryHit, its list of results and the results a servent answers a query with, reused per thread: they live
        /// only until the hit is encoded (nothing keeps them), and every servent that matched a query made all of them
        /// anew for one descriptor. Rented so that an answer inside an answer (nothing does that now) gets its own.
        /// </summary>
        internal sealed class HitParts
        {
            [ThreadStatic] static HitParts t_spare;
            public readonly QueryHit Hit = new QueryHit();
            public readonly List<QueryHitResult> Results = new List<QueryHitResult>();
            readonly List<QueryHitResult> _made = new List<QueryHitResult>();
            int _used;

            public static HitParts Rent()
            {
                var parts = t_spare ?? new HitParts();
                t_spare = null;
                return parts;
            }

            /// <summary>A result for <paramref name="file"/>: one made before for this answer's position, or a new one.</summary>
            public QueryHitResult Result(SharedFile file)
            {
                if (_used == _made.Count) _made.Add(new QueryHitResult());
                var result = _made[_used++];
                result.FileIndex = (uint)file.Index;
                result.FileSize = file.Size;
                result.Name = file.Name;
                result.Hash = file.ContentHash;
                return result;
            }

            public void Return()
            {
                Results.Clear();
                Hit.Results = Results;
                _used = 0;
                if (_made.Count <= MaxResultsPerQuery) t_spare = this;
            }
        }

        void OnQueryHit(GnutellaLink link, GnutellaMessage message)
        {
            var header = message.Header;
            Age(ref header);
            var hit = (QueryHit)message.Payload;
            object from;
            bool known;
            using (Locked(_gate))
            {
                known = QueryRoutes.TryGet(header.Id, out from);
                // A Push for this servent goes back the way its hits came.
                if (known) PushRoutes.TryAdd(hit.ServentId, link);
            }
            if (!known)
            {
                Counters.Add(ref Counters.hitsDroppedUnknownQuery);
                if (HasEventObservers) Emit(PeerEventTypes.HitDropped, link.Remote, "QueryHit for an unknown query", RouteData(header));
                return;
            }
            link.MarkUseful(_clock.Now);   // a hit for a query we know: the link answers searches
            if (ReferenceEquals(from, Self))
            {
                DeliverHits(link, header, hit);
                return;
            }
            var back = from as GnutellaLink;
            if (back == null || back.IsClosed || header.Ttl == 0 || !OutgoingFrame.Send(back, header, message.PayloadBytes, GnutellaPayloadType.QueryHit))
            {
                Counters.Add(ref Counters.hitsDroppedUnknownQuery);
                if (HasEventObservers) Emit(PeerEventTypes.HitDropped, link.Remote, "the reverse path is gone", RouteData(header));
                return;
            }
            Counters.Add(ref Counters.hitsRoutedBack);
            if (back.RemoteIsLeaf && Options.DynamicQuerying) CountDynamicResults(header.Id, hit.ResultCount);
            if (HasEventObservers) Emit(PeerEventTypes.HitRoutedBack, back.Remote, $"{hit.ResultCount} result(s)", RouteData(header));
        }

        void OnPing(GnutellaLink link, GnutellaMessage message)
        {
            var header = message.Header;
            Age(ref header);
            bool fresh;
            using (Locked(_gate)) fresh = PingRoutes.TryAdd(header.Id, link);
            if (!fresh) return;
            // Pong caching: answer for ourselves and from the cache, and never flood the Ping on.
            byte ttl = (byte)Math.Max(1, Math.Min(Options.MaxTtl, (int)header.Hops));
            link.Send(GnutellaCodec.Encode(header.Id, ttl, 0, OwnPong()), GnutellaPayloadType.Pong);
            if (header.Ttl == 0 || !link.TakeCachedPongTurn(_clock.Now, CachedPongInterval)) return;
            foreach (var pong in _hosts.Pongs(MaxPongsPerPing, link.ListenEndPoint))
                link.Send(GnutellaCodec.Encode(header.Id, ttl, 1, pong), GnutellaPayloadType.Pong);
        }

        Pong OwnPong()
        {
            var files = _local.Files;
            long bytes = 0;
            foreach (var f in files) bytes += f.Size;
            return new Pong { Address = _listenEndPoint.Host, Port = _listenEndPoint.Port, FileCount = (uint)files.Count, KilobytesShared = (uint)Math.Min(uint.MaxValue, bytes / 1024) };
        }

        void OnPong(GnutellaLink link, GnutellaMessage message)
        {
            var header = message.Header;
            Age(ref header);
            var pong = (Pong)message.Payload;
            var host = new HostPort(pong.Address, pong.Port);
            if (!host.Equals(_listenEndPoint) && pong.Port > 0)
            {
                bool direct = link.ListenEndPoint != null && link.ListenEndPoint.Equals(host);
                _hosts.Add(host, pong, knownUltrapeer: direct && link.RemoteIsUltrapeer, knownLeaf: direct && link.RemoteIsLeaf);
            }
            object from;
            bool known;
            using (Locked(_gate)) known = PingRoutes.TryGet(header.Id, out from);
            if (!known || ReferenceEquals(from, Self)) return;
            var back = from as GnutellaLink;
            if (back != null && !back.IsClosed && header.Ttl > 0) OutgoingFrame.Send(back, header, message.PayloadBytes, GnutellaPayloadType.Pong);
        }

        void OnPush(GnutellaLink link, GnutellaMessage message)
        {
            var header = message.Header;
            Age(ref header);
            var push = (Push)message.Payload;
            if (push.ServentId == ServentId)
            {
                Emit(PeerEventTypes.PushReceived, link.Remote, $"push for file {push.FileIndex} to {push.Address}:{push.Port}",
                    D("guid", header.Id.ToString()), D("ttl", (int)header.Ttl), D("hops", (int)header.Hops), D("FileIndex", (long)push.FileIndex));
                _ = AnswerPushAsync(push);
                return;
            }
            object to;
            bool known;
            using (Locked(_gate)) known = PushRoutes.TryGet(push.ServentId, out to);
            var next = to as GnutellaLink;
            if (!known || next == null || next == link || next.IsClosed || header.Ttl == 0) return;
            OutgoingFrame.Send(next, header, message.PayloadBytes, GnutellaPayloadType.Push);
        }

        void OnRouteTableUpdate(GnutellaLink link, GnutellaMessage message)
        {
            // Only an ultrapeer keeps tables: its leaves', and with ultrapeer QRP, the last-hop tables of other ultrapeers.
            if (IsLeaf || (link.RemoteIsUltrapeer && !SpeaksUltrapeerQrp(link))) return;
            var update = (RouteTableUpdate)message.Payload;
            // One table per leaf: a new reset/patch sequence is built aside and replaces the old table only when its
            // last patch is in, so until then the leaf keeps getting what its previous table matched.
            // A link that holds the shared empty table (a leaf that shares nothing) gets one of its own for the sequence.
            var table = link.QueryRouteTable;
            if (table == null || table.IsSharedEmpty) link.QueryRouteTable = table = new QueryRouteTable(table?.Bits ?? Options.QrpTableBits);
            bool complete, empty;
            using (Locked(table))
            {
                table.Apply(update);   // GnutellaProtocolException closes the link as malformed
                complete = table.IsComplete;
                empty = complete && table.PresentCount == 0;
            }
            // Finished and empty (most leaves share nothing): the link keeps the one empty table of its size that every
            // such link shares, and this one goes (an ultrapeer holds a table per leaf link for as long as it lasts).
            if (empty) link.QueryRouteTable = QueryRouteTable.SharedEmpty(table.Bits);
            // A leaf's finished table changes its fold beside its link, and what our own last-hop table must say to the
            // other ultrapeers.
            if (complete && link.RemoteIsLeaf)
            {
                LeafTableChanged(link);
                UltrapeerTableChanged();
            }
        }

        void SendQueryRouteTable(GnutellaLink link)
        {
            var table = _ownTable;
            if (table == null) return;
            SendTable(link, table);
        }

        void SendPing(GnutellaLink link, byte ttl)
        {
            var id = GnutellaGuid.New(Runtime.Random);
            using (Locked(_gate)) PingRoutes.TryAdd(id, Self);
            link.Send(GnutellaCodec.Encode(id, ttl, 0, new Ping()), GnutellaPayloadType.Ping);
        }
    }
}
