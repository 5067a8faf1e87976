using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Copies a node no longer holds for the ring: after churn (a node joined behind it, so its replicated range shrank)
    // it still has keys outside (R-th predecessor, self]. At its check_predecessor round it makes sure the key's owner
    // and R − 1 successors hold every value (store_value what one lacks, with the lifetime it has left), then drops its
    // copy: key load counts the copies the ring relies on, not leftovers waiting an hour to expire.
    public sealed partial class ChordNode
    {
        /// <summary>Stale keys handed off per round at most: each costs a lookup and a get_values per holder.</summary>
        const int MaxHandOffPerRound = 8;

        async Task HandOffStaleKeysAsync()
        {
            List<ChordId> stale;
            lock (_gate)
            {
                var far = ReplicatedFrom();
                if (_store == null || far == null) return;
                stale = _store.KeysOutside(far.Id, _self.Id, MaxHandOffPerRound);
            }
            foreach (var key in stale)
            {
                if (Stopping.IsCancellationRequested) return;
                await HandOffAsync(key).ConfigureAwait(Runtime.IsSimulated);
            }
        }

        /// <summary>
        /// The far end of the range this node holds, (R-th predecessor, self]; null while the chain is not known that
        /// deep or goes round a small ring (then this node holds everything). Caller holds _gate.
        /// </summary>
        ChordContact ReplicatedFrom()
        {
            var chain = _predecessors;
            int r = Math.Max(1, _options.Replicas);
            if (chain == null || chain.Length < r) return null;
            for (int k = 0; k < r; k++) if (chain[k] == null || chain[k].Id == _self.Id) return null;
            return chain[r - 1];
        }

        /// <summary>Makes sure the key's R holders have every value this node has for it, then drops this node's copy.</summary>
        async Task HandOffAsync(ChordId key)
        {
            var lookup = await LookupAsync(key, null, ChordLookupMode.Iterative, false, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (!lookup.Succeeded) return;
            var holders = await HoldersAsync(lookup, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (holders.Count > _options.Replicas) holders.RemoveRange(_options.Replicas, holders.Count - _options.Replicas);
            // The ring still counts on this copy (our chain and the lookup disagree for now): keep it.
            if (holders.Exists(h => h.Id == _self.Id)) return;
            List<byte[]> values;
            List<long> expires;
            lock (_gate)
            {
                if (_store == null) return;
                (values, expires) = _store.GetWithExpiry(key, Runtime.Clock.Now.UtcTicks);
            }
            foreach (var holder in holders)
            {
                var held = await ValuesAtAsync(holder, key, Stopping).ConfigureAwait(Runtime.IsSimulated);
                if (held == null) return; // no answer, or it does not hold the key either: try again next round
                for (int i = 0; i < values.Count; i++)
                {
                    if (held.Exists(v => KeyStore.SameBytes(v, values[i]))) continue;
                    var (code, _) = await StoreAtAsync(holder, key, values[i], null, Stopping, SecondsLeft(expires[i])).ConfigureAwait(Runtime.IsSimulated);
                    if (code != 0) return;
                }
            }
            int dropped;
            lock (_gate)
            {
                var far = ReplicatedFrom();
                if (_store == null || far == null || key.InOpenClosed(far.Id, _self.Id)) return;
                // A value stored here meanwhile was not handed off: keep the key for the next round.
                foreach (var v in _store.Get(key, Runtime.Clock.Now.UtcTicks))
                    if (!values.Exists(x => KeyStore.SameBytes(x, v))) return;
                dropped = _store.Remove(key);
            }
            Interlocked.Increment(ref Counters._staleKeysDropped);
            if (HasEventObservers)
                Emit(PeerEventTypes.KeysTransferred, holders.Count > 0 ? holders[0].EndPoint.ToString() : null,
                    $"dropped key {key.ToShortHex()} ({dropped} values): {holders.Count} holders have it and this node no longer replicates it",
                    D("Direction", "Out"), D("Keys", 1), D("Values", dropped), D("Peer", holders.Count > 0 ? holders[0].ToString() : null), D("Reason", "HandOff"));
        }
    }
}
