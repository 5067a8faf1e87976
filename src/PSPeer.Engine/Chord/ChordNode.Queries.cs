using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Answering queries: one decoded query in, one response or error out (issue 12's table). All but find_successor
    // answer at once from local state; find_successor may forward and answer when the rest of the path has.
    public sealed partial class ChordNode
    {
        // Room left in a datagram for a response's values or items once the envelope and the other fields are in.
        const int ResponseOverhead = 160;

        ulong _tokenSecret;

        void HandleQuery(KrpcMessage q, IPEndPoint from)
        {
            var t = q.TransactionId;
            if (!_inRing && q.Method != KrpcMethod.Ping)
            {
                // A client (or a node still joining) routes nothing and holds nothing.
                ReplyError(t, _options.ClientOnly ? KrpcErrorCode.NotResponsible : KrpcErrorCode.Server,
                    _options.ClientOnly ? "a client node is not a ring member" : "this node has not joined a ring yet", from);
                return;
            }
            switch (q.Method)
            {
                case KrpcMethod.Ping:
                    Reply(Response(t), from);
                    return;
                case KrpcMethod.GetPredecessor:
                {
                    var r = Response(t);
                    lock (_gate) r.Node = _predecessor;
                    Reply(r, from);
                    return;
                }
                case KrpcMethod.GetSuccessors:
                {
                    var r = Response(t);
                    r.Nodes = _successors ?? new[] { _self };
                    Reply(r, from);
                    return;
                }
                case KrpcMethod.Notify:
                    if (q.Leaving != null) { if (SenderIdMatches(q, from)) HandleLeavingAsync(q, from); else Reply(Response(t), from); return; }
                    HandleNotify(q, from);
                    Reply(Response(t), from);
                    return;
                case KrpcMethod.ClosestPreceding:
                {
                    var r = Response(t);
                    var target = q.Target.Value;
                    lock (_gate)
                    {
                        // The asker may have found some of our successors dead ("skip"): the owner is then the first live one.
                        var successors = Without(_successors ?? new[] { _self }, q.Skip);
                        var successor = successors.Length > 0 ? successors[0] : _self;
                        if (target.InOpenClosed(_self.Id, successor.Id))
                        {
                            r.Owner = successor;
                            r.Nodes = successors.Length > 0 ? successors : new[] { _self };
                        }
                        else r.Next = ClosestPreceding(target, q.Skip) ?? FirstSuccessor;
                    }
                    r.Token = TokenFor(from);
                    Reply(r, from);
                    return;
                }
                case KrpcMethod.FindSuccessor:
                    AnswerFindSuccessorAsync(q, from);
                    return;
                case KrpcMethod.StoreValue:
                    HandleStore(q, from);
                    return;
                case KrpcMethod.GetValues:
                    HandleGetValues(q, from);
                    return;
                case KrpcMethod.Transfer:
                    HandleTransfer(q, from);
                    return;
            }
        }

        static ChordContact[] Without(ChordContact[] list, IReadOnlyList<ChordId> skip) =>
            skip == null || skip.Count == 0 ? list : Array.FindAll(list, c => !Contains(skip, c.Id));

        KrpcMessage Response(byte[] transactionId) => KrpcMessage.Response(transactionId, _self.Id);

        byte[] TokenFor(IPEndPoint asker) => StoreTokens.Make(_tokenSecret, asker.Address, Runtime.Clock.Now);

        /// <summary>The id a node at this endpoint must have, unless the ring allows configured ids.</summary>
        static ChordId IdOf(IPEndPoint endPoint)
        {
            var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
            return ChordId.FromEndPoint(address + ":" + endPoint.Port);
        }

        /// <summary>Whether a notify's sender id is SHA-1 of its address (or the ring allows configured ids); counts it when not.</summary>
        bool SenderIdMatches(KrpcMessage q, IPEndPoint from)
        {
            if (_options.AllowConfiguredIds || IdOf(from) == q.SenderId) return true;
            // Anyone could claim any id and so any place on the ring: the id must be the hash of where it speaks from.
            Interlocked.Increment(ref Counters._notifyIgnored);
            if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "notify ignored: the sender's id is not SHA-1 of its address",
                D("Reason", "NotifySpoofed"), D("ClaimedId", q.SenderId.ToHex()));
            return false;
        }

        void HandleNotify(KrpcMessage q, IPEndPoint from)
        {
            if (!SenderIdMatches(q, from)) return;
            var sender = new ChordContact(q.SenderId, from);
            if (sender.Id == _self.Id) return;
            lock (_gate)
            {
                var p = _predecessor;
                if (p == null || sender.Id.InOpen(p.Id, _self.Id)) SetPredecessor(sender);
                // A node alone on its ring takes the first node it hears of as its successor too (paper: create, then join).
                if (FirstSuccessor.Id == _self.Id) SetSuccessors(_predecessor, null);
            }
            FlushEvents();
        }

        void HandleStore(KrpcMessage q, IPEndPoint from)
        {
            var t = q.TransactionId;
            if (!StoreTokens.Check(_tokenSecret, from.Address, Runtime.Clock.Now, q.Token))
            {
                ReplyError(t, KrpcErrorCode.BadToken, "bad token: ask this node (closest_preceding or find_successor) from the same address first", from);
                return;
            }
            if (q.Value.Length > _options.MaxValueBytes)
            {
                ReplyError(t, KrpcErrorCode.ValueTooBig, $"a value is at most {_options.MaxValueBytes} bytes", from);
                return;
            }
            var target = q.Target.Value;
            bool stored;
            lock (_gate)
            {
                // Our predecessor may hand on any key it holds (it is leaving); anyone else only what we own or replicate.
                var p = _predecessor;
                if (!Holds(target) && (p == null || !SameEndPoint(p.EndPoint, from))) { stored = false; }
                else
                {
                    if (_store == null) { _store = new KeyStore(); WakeMaintenance(); }
                    // A copy handed on says how long it has left ("left"): it keeps that, not a fresh lifetime.
                    stored = q.Left == 0 || _store.Put(target, q.Value, ExpiryFor(q.Left), _options.MaxValuesPerKey);
                    if (!stored)
                    {
                        ReplyError(t, KrpcErrorCode.TooManyValues, $"a key holds at most {_options.MaxValuesPerKey} values", from);
                        return;
                    }
                }
            }
            if (!stored)
            {
                ReplyError(t, KrpcErrorCode.NotResponsible, "this node neither owns nor replicates that key", from);
                return;
            }
            Interlocked.Increment(ref Counters._valuesStored);
            Reply(Response(t), from);
        }

        void HandleGetValues(KrpcMessage q, IPEndPoint from)
        {
            var target = q.Target.Value;
            IReadOnlyList<byte[]> all;
            lock (_gate)
            {
                if (!Holds(target)) all = null;
                else all = _store?.Get(target, Runtime.Clock.Now.UtcTicks) ?? Array.Empty<byte[]>();
            }
            if (all == null)
            {
                ReplyError(q.TransactionId, KrpcErrorCode.NotResponsible, "this node neither owns nor replicates that key", from);
                return;
            }
            int start = Math.Min(q.FromIndex ?? 0, all.Count);
            int room = KrpcCodec.MaxDatagramSize - ResponseOverhead;
            var page = new List<byte[]>();
            int i = start;
            for (; i < all.Count; i++)
            {
                int size = KrpcCodec.EncodedLength(all[i]);
                if (size > room && page.Count > 0) break;
                room -= size;
                page.Add(all[i]);
            }
            var r = Response(q.TransactionId);
            r.Values = page;
            if (i < all.Count) r.MoreIndex = i;
            Reply(r, from);
        }

        void HandleTransfer(KrpcMessage q, IPEndPoint from)
        {
            var fromId = q.After ?? q.FromId.Value;
            var to = q.ToId.Value;
            int room = KrpcCodec.MaxDatagramSize - ResponseOverhead;
            var items = new List<KrpcItem>();
            bool more = false;
            lock (_gate)
            {
                if (_store != null)
                {
                    foreach (var (key, values, expires) in _store.Range(fromId, to, Runtime.Clock.Now.UtcTicks))
                    {
                        // Each value with the seconds it has left ("left"), so the taker does not give it a fresh hour.
                        var left = new long[expires.Count];
                        for (int i = 0; i < left.Length; i++) left[i] = SecondsLeft(expires[i]);
                        var item = new KrpcItem(key, values, left);
                        int size = KrpcCodec.EncodedLength(item);
                        if (size > room)
                        {
                            if (items.Count > 0) { more = true; break; }
                            item = Trim(item, room);
                            size = KrpcCodec.EncodedLength(item);
                        }
                        room -= size;
                        items.Add(item);
                    }
                }
            }
            var r = Response(q.TransactionId);
            r.Items = items;
            if (more) r.MoreId = items[items.Count - 1].KeyId;
            Interlocked.Add(ref Counters._keysTransferredOut, items.Count);
            Reply(r, from);
        }

        // One key whose values alone overflow a datagram sends what fits: the rest come back with publishers' refreshes.
        static KrpcItem Trim(KrpcItem item, int room)
        {
            var kept = new List<byte[]>();
            var keptLeft = item.Left == null ? null : new List<long>();
            int left = room - KrpcCodec.EncodedLength(new KrpcItem(item.KeyId, Array.Empty<byte[]>(), keptLeft == null ? null : Array.Empty<long>()));
            for (int i = 0; i < item.Values.Count; i++)
            {
                int size = KrpcCodec.EncodedLength(item.Values[i]) + (keptLeft == null ? 0 : 2 + item.Left[i].ToString().Length);
                if (size > left) break;
                left -= size;
                kept.Add(item.Values[i]);
                keptLeft?.Add(item.Left[i]);
            }
            return new KrpcItem(item.KeyId, kept, keptLeft);
        }
    }
}
