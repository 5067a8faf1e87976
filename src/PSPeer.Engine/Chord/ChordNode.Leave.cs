using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Voluntary departure (the paper's §5: the successor takes the keys and learns the new predecessor, the predecessor
    // learns the new successor), told on the wire with notify and one key other clients ignore, "leaving": the nodes
    // that take the sender's place. A successor that understands it pulls the leaver's keys with transfer (their ages
    // kept by "left") and answers with "taken"; one that does not (another client) answers a plain notify, and the
    // leaver then hands its keys on with store_value as before. Either way neighbours point past the leaver at once,
    // not at their next stabilize / check_predecessor.
    public sealed partial class ChordNode
    {
        // The leaving predecessor whose keys this node is pulling: a repeated leave notify waits for the first answer.
        ChordId? _takingOverFrom;

        /// <summary>
        /// Leaves the ring politely: its successor takes the keys it owns (pulled with transfer, ages kept) and learns its
        /// predecessor, its predecessor learns its successor list; then it stops. Keys it only replicated are made
        /// again by the nodes after it (re-replication).
        /// </summary>
        public async Task LeaveAsync(CancellationToken cancellationToken = default)
        {
            if (State != NodeState.Running) { await StopAsync().ConfigureAwait(Runtime.IsSimulated); return; }
            ChordContact predecessor, successor;
            ChordContact[] successors;
            lock (_gate)
            {
                predecessor = _predecessor;
                successors = _successors;
                successor = FirstSuccessor;
            }
            if (_inRing && successor.Id != _self.Id)
            {
                // The successor first: it must hold our keys before the predecessor starts routing to it.
                var told = KrpcMessage.Query(KrpcMethod.Notify, _self.Id);
                told.Leaving = predecessor != null && predecessor.Id != successor.Id ? new[] { predecessor } : Array.Empty<ChordContact>();
                var answer = await QueryAsync(successor.EndPoint, told, LeaveTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer?.Kind != KrpcKind.Response || answer.Taken == null)
                    await PushOwnedKeysAsync(predecessor, successors, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                else if (HasEventObservers)
                    Emit(PeerEventTypes.KeysTransferred, successor.EndPoint.ToString(), $"{successor} took {answer.Taken} keys before this node left",
                        D("Direction", "Out"), D("Keys", answer.Taken.Value), D("Peer", successor.ToString()), D("Reason", "Leave"));
                if (predecessor != null && predecessor.Id != _self.Id && predecessor.Id != successor.Id)
                {
                    var tell = KrpcMessage.Query(KrpcMethod.Notify, _self.Id);
                    tell.Leaving = successors;
                    await QueryAsync(predecessor.EndPoint, tell, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                }
            }
            await StopAsync().ConfigureAwait(Runtime.IsSimulated);
        }

        // The successor pulls our keys before it answers: a few round trips, not one.
        TimeSpan LeaveTimeout => TimeSpan.FromTicks(_options.RpcTimeout.Ticks * 3);

        /// <summary>
        /// The successor did not take the keys (another client, or no answer): store every key this node owns at its
        /// successors with store_value, each value with the lifetime it has left.
        /// </summary>
        async Task PushOwnedKeysAsync(ChordContact predecessor, ChordContact[] successors, CancellationToken cancellationToken)
        {
            List<(ChordId, List<byte[]>, List<long>)> owned;
            lock (_gate)
            {
                if (_store == null || successors == null) return;
                long now = Runtime.Clock.Now.UtcTicks;
                owned = new List<(ChordId, List<byte[]>, List<long>)>(predecessor == null
                    ? _store.Range(_self.Id, _self.Id, now)
                    : _store.Range(predecessor.Id, _self.Id, now));
            }
            if (owned.Count == 0) return;
            int handed = 0;
            for (int i = 0; i < successors.Length && i < _options.Replicas; i++)
            {
                if (successors[i].Id == _self.Id) break;
                int stored = await PushKeysAsync(successors[i], owned, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (i == 0) handed = stored;
            }
            Interlocked.Add(ref Counters._keysTransferredOut, owned.Count);
            if (HasEventObservers)
                Emit(PeerEventTypes.KeysTransferred, successors[0].EndPoint.ToString(), $"handed {owned.Count} keys on to {successors[0]} before leaving",
                    D("Direction", "Out"), D("Keys", owned.Count), D("Values", handed), D("Peer", successors[0].ToString()), D("Reason", "Leave"));
        }

        /// <summary>
        /// A neighbour says it is leaving (notify with "leaving"; its id already checked against its address). From our
        /// predecessor: take its keys with transfer, make its predecessor ours, then answer with "taken". From our
        /// successor: put its successor list in its place. From anyone else: nothing to do (a plain answer).
        /// </summary>
        async void HandleLeavingAsync(KrpcMessage q, IPEndPoint from)
        {
            try
            {
                var sender = new ChordContact(q.SenderId, from);
                bool fromPredecessor, fromSuccessor;
                lock (_gate)
                {
                    fromPredecessor = _predecessor != null && _predecessor.Id == sender.Id && SameEndPoint(_predecessor.EndPoint, from);
                    fromSuccessor = FirstSuccessor.Id == sender.Id && SameEndPoint(FirstSuccessor.EndPoint, from);
                    if (fromPredecessor)
                    {
                        if (_takingOverFrom == sender.Id) return; // a repeat while we pull: the first one's answer will come
                        _takingOverFrom = sender.Id;
                    }
                    if (fromSuccessor) TakeSuccessorsOf(sender, q.Leaving);
                    else if (fromPredecessor) _fingers.Remove(sender.Id);
                }
                FlushEvents();
                var r = Response(q.TransactionId);
                if (fromPredecessor)
                {
                    ChordContact next = null;
                    foreach (var c in q.Leaving) if (c.Id != _self.Id && c.Id != sender.Id) { next = c; break; }
                    int? taken;
                    try
                    {
                        // Its keys: (its predecessor, it]; when it knew no predecessor, whatever it holds.
                        taken = await PullKeysAsync(sender, next?.Id ?? _self.Id, sender.Id, "Leave", Stopping).ConfigureAwait(Runtime.IsSimulated);
                    }
                    finally
                    {
                        lock (_gate) _takingOverFrom = null;
                    }
                    lock (_gate)
                    {
                        if (_predecessor != null && _predecessor.Id == sender.Id)
                        {
                            // Its predecessor is ours; the chain behind it stays as it was, one link shorter.
                            var chain = (ChordContact[])_predecessors.Clone();
                            SetPredecessor(next);
                            if (next != null && chain.Length > 1 && chain[1] != null && chain[1].Id == next.Id)
                                for (int k = 1; k + 1 < chain.Length; k++) _predecessors[k] = chain[k + 1];
                        }
                    }
                    FlushEvents();
                    // Without an answer to transfer we took nothing: no "taken", so the leaver hands its keys on itself.
                    r.Taken = taken;
                }
                Reply(r, from);
            }
            catch (OperationCanceledException) { /* the node stopped */ }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "a leave notice failed: " + e.Message, D("Reason", e.GetType().Name));
            }
        }

        /// <summary>Our successor leaves: its successor list takes its place at the head of ours. Caller holds _gate.</summary>
        void TakeSuccessorsOf(ChordContact leaving, IReadOnlyList<ChordContact> itsSuccessors)
        {
            _fingers.Remove(leaving.Id);
            var list = new List<ChordContact>();
            foreach (var c in itsSuccessors) if (c.Id != leaving.Id) list.Add(c);
            foreach (var c in _successors ?? Array.Empty<ChordContact>()) if (c.Id != leaving.Id) list.Add(c);
            // SetSuccessors stops at this node and drops repeats; alone when nobody is left.
            var first = list.Count > 0 ? list[0] : _self;
            if (first.Id == _self.Id) SetSuccessors(_self, null);
            else SetSuccessors(first, list);
            var chain = _predecessors;
            if (chain != null)
                for (int k = 0; k < chain.Length; k++)
                    if (chain[k] != null && chain[k].Id == leaving.Id) { if (k == 0) SetPredecessor(null); else for (int j = k; j < chain.Length; j++) chain[j] = null; break; }
        }
    }
}
