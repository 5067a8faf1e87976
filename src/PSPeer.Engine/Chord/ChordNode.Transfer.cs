using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Moving keys between nodes: pulling an interval with transfer (a joining node from its successor; a replica from
    // its predecessor when the range it replicates changed) and pushing keys with store_value (a leaving node).
    public sealed partial class ChordNode
    {
        /// <summary>
        /// Pulls every key in (<paramref name="from"/>, <paramref name="to"/>] that <paramref name="source"/> holds, page by
        /// page; returns how many keys came (null when the source did not answer the first page).
        /// </summary>
        async Task<int?> PullKeysAsync(ChordContact source, ChordId from, ChordId to, string reason, CancellationToken cancellationToken)
        {
            if (source.Id == _self.Id) return 0;
            int keys = 0, values = 0;
            ChordId? after = null;
            for (int page = 0; page < 10_000; page++)
            {
                var ask = KrpcMessage.Query(KrpcMethod.Transfer, _self.Id);
                ask.FromId = from;
                ask.ToId = to;
                ask.After = after;
                var answer = await QueryAsync(source.EndPoint, ask, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer == null || answer.Kind != KrpcKind.Response || answer.Items == null)
                {
                    if (page == 0) return null;
                    break;
                }
                long fresh = ExpiryFor(null);
                lock (_gate)
                {
                    foreach (var item in answer.Items)
                    {
                        if (!item.KeyId.InOpenClosed(from, to) || item.Values.Count == 0) continue; // only what we asked for
                        if (_store == null) { _store = new KeyStore(); WakeMaintenance(); }
                        keys++;
                        for (int i = 0; i < item.Values.Count; i++)
                        {
                            var v = item.Values[i];
                            if (v.Length > _options.MaxValueBytes) continue;
                            bool isNew = !_store.Contains(item.KeyId, v);
                            // A PSPeer sender says how long each value has left ("left"): the copy keeps that age. A
                            // sender that does not say: new values get a lifetime, values already here keep theirs.
                            if (item.Left != null)
                            {
                                if (item.Left[i] > 0 && _store.Put(item.KeyId, v, ExpiryFor(item.Left[i]), _options.MaxValuesPerKey) && isNew) values++;
                            }
                            else if (_store.Merge(item.KeyId, v, fresh, _options.MaxValuesPerKey)) values++;
                        }
                    }
                }
                if (answer.MoreId == null || (after.HasValue && answer.MoreId.Value == after.Value)) break;
                after = answer.MoreId;
            }
            if (keys == 0) return 0;
            Interlocked.Add(ref Counters._keysTransferredIn, keys);
            if (HasEventObservers)
                Emit(PeerEventTypes.KeysTransferred, source.EndPoint.ToString(), $"took {keys} keys ({values} new values) from {source} ({reason})",
                    D("Direction", "In"), D("Keys", keys), D("Values", values), D("Peer", source.ToString()), D("Reason", reason));
            return keys;
        }

        /// <summary>
        /// Stores every value of <paramref name="items"/> at <paramref name="target"/>, each with the lifetime it has left
        /// ("left"); returns how many it took.
        /// </summary>
        async Task<int> PushKeysAsync(ChordContact target, List<(ChordId KeyId, List<byte[]> Values, List<long> ExpiresTicks)> items, CancellationToken cancellationToken)
        {
            if (items.Count == 0) return 0;
            var token = await TokenFromAsync(target, items[0].KeyId, null, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (token == null) return 0;
            int stored = 0;
            foreach (var (keyId, values, expires) in items)
            {
                for (int i = 0; i < values.Count; i++)
                {
                    var store = KrpcMessage.Query(KrpcMethod.StoreValue, _self.Id);
                    store.Target = keyId;
                    store.Value = values[i];
                    store.Token = token;
                    store.Left = SecondsLeft(expires[i]);
                    var answer = await QueryAsync(target.EndPoint, store, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                    if (answer == null) return stored; // gone: the next successor will do
                    if (answer.Kind == KrpcKind.Response) stored++;
                }
            }
            return stored;
        }
    }
}
