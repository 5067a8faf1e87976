using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Keys as a user sees them: store a value at the key's owner and its R − 1 successors, read it back from the
    // first of them that answers, and store again every RefreshInterval what this node published while it runs.
    // Values are byte strings end to end (bencoded strings on the wire); the string overloads are UTF-8 at the edge.
    public sealed partial class ChordNode
    {
        KeyStore _store;
        // What this node published, refreshed while it runs; made on the first store.
        List<(string Key, byte[] Value)> _published;

        /// <summary>
        /// Stores <paramref name="value"/> (its UTF-8 bytes) under <paramref name="key"/>: see
        /// <see cref="StoreAsync(string, byte[], CancellationToken)"/>.
        /// </summary>
        public Task<ChordLookupResult> StoreAsync(string key, string value, CancellationToken cancellationToken = default)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            return StoreAsync(key, Encoding.UTF8.GetBytes(value), cancellationToken);
        }

        /// <summary>
        /// Stores <paramref name="value"/> (any bytes, carried exactly) under <paramref name="key"/> at its owner and R − 1
        /// replicas (the set of values: storing one again refreshes it), and keeps refreshing it every RefreshInterval
        /// while this node runs. The result is the lookup's, Succeeded when at least the owner or a replica took it; a
        /// refusal sets ErrorCode (302 value too big, 303 too many values, 305 bad token, 301 not responsible) and Failure.
        /// </summary>
        public async Task<ChordLookupResult> StoreAsync(string key, byte[] value, CancellationToken cancellationToken = default)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (value == null) throw new ArgumentNullException(nameof(value));
            value = (byte[])value.Clone(); // ours from here on: the caller may reuse its buffer
            var result = await StoreAsync(key, value, true, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (result.Succeeded)
            {
                lock (_gate)
                {
                    if (_published == null) { _published = new List<(string, byte[])>(); WakeMaintenance(); }
                    if (!_published.Exists(p => p.Key == key && KeyStore.SameBytes(p.Value, value))) _published.Add((key, value));
                }
            }
            return result;
        }

        async Task<ChordLookupResult> StoreAsync(string key, byte[] value, bool counted, CancellationToken cancellationToken)
        {
            var keyId = ChordId.FromKey(key);
            if (value.Length > _options.MaxValueBytes)
                return new ChordLookupResult { Key = key, KeyId = keyId, Failure = $"a value is at most {_options.MaxValueBytes} bytes", ErrorCode = KrpcErrorCode.ValueTooBig };
            var result = await LookupAsync(keyId, key, ChordLookupMode.Iterative, counted, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (!result.Succeeded) return result;
            var holders = await HoldersAsync(result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            int stored = 0, errorCode = 0;
            string failure = null;
            foreach (var holder in holders)
            {
                // R copies: the owner and the next R − 1 that take it; the holders after those are only for ones that fail.
                if (stored >= _options.Replicas) break;
                var (code, text) = await StoreAtAsync(holder, keyId, value, result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (code == 0) { stored++; continue; }
                if (errorCode == 0 || code == KrpcErrorCode.ValueTooBig || code == KrpcErrorCode.TooManyValues) { errorCode = code; failure = text; }
            }
            result.ErrorCode = stored > 0 && errorCode != KrpcErrorCode.TooManyValues ? 0 : errorCode;
            if (stored == 0 || result.ErrorCode != 0)
            {
                result.Succeeded = false;
                result.Failure = failure ?? "no holder took the value";
            }
            return result;
        }

        /// <summary>
        /// The values of <paramref name="key"/> as text (each value's bytes read as UTF-8; bytes that are not UTF-8 become
        /// U+FFFD): see <see cref="GetValueBytesAsync"/>.
        /// </summary>
        public async Task<IReadOnlyList<string>> GetValuesAsync(string key, ChordLookupMode mode = ChordLookupMode.Iterative, CancellationToken cancellationToken = default)
        {
            var values = await GetValueBytesAsync(key, mode, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            var texts = new string[values.Count];
            for (int i = 0; i < texts.Length; i++) texts[i] = Encoding.UTF8.GetString(values[i]);
            return texts;
        }

        /// <summary>
        /// Reads the values of <paramref name="key"/> (oldest first, byte for byte as stored) from its owner, or when the
        /// owner is gone from the next replica that answers. Throws PeerException ChordLookupFailed when no holder can be
        /// reached.
        /// </summary>
        public async Task<IReadOnlyList<byte[]>> GetValueBytesAsync(string key, ChordLookupMode mode = ChordLookupMode.Iterative, CancellationToken cancellationToken = default)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            var keyId = ChordId.FromKey(key);
            var lookup = await LookupAsync(keyId, key, mode, true, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (!lookup.Succeeded) throw new PeerException(PeerErrorIds.ChordLookupFailed, $"Looking up '{key}' through Chord node '{Name}' failed: {lookup.Failure}.");
            var holders = await HoldersAsync(lookup, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            bool anyAnswered = false;
            foreach (var holder in holders)
            {
                var values = await ValuesAtAsync(holder, keyId, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (values == null) continue;
                anyAnswered = true;
                if (values.Count > 0) return values;
            }
            if (anyAnswered) return Array.Empty<byte[]>();
            throw new PeerException(PeerErrorIds.ChordLookupFailed, $"No holder of '{key}' answered Chord node '{Name}' (owner {lookup.Owner}).");
        }

        /// <summary>The owner and its R − 1 successors, then the rest of the successor list as fallbacks (holders that die).</summary>
        async Task<List<ChordContact>> HoldersAsync(ChordLookupResult lookup, CancellationToken cancellationToken)
        {
            var owner = lookup.Owner;
            IReadOnlyList<ChordContact> list = lookup.OwnerSuccessors;
            if (owner.Id == _self.Id) list = _successors;
            else if (list.Count == 0 || list[0].Id != owner.Id)
            {
                // The answer did not carry the owner's successors (recursive): ask the owner for them.
                var answer = await AskAsync(owner, KrpcMethod.GetSuccessors, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer?.Nodes != null) list = answer.Nodes;
            }
            var holders = new List<ChordContact> { owner };
            foreach (var c in list)
            {
                if (holders.Count >= _options.Replicas + 2) break; // R, and two more in case some are dead
                if (!holders.Exists(h => h.Id == c.Id)) holders.Add(c);
            }
            return holders;
        }

        /// <summary>
        /// Stores one value at one holder; (0, null) when it took it, else the error code (−1 and a text on timeout).
        /// <paramref name="leftSeconds"/>, when given, is the lifetime the value has left (a copy handed on, not a publish).
        /// </summary>
        async Task<(int Code, string Text)> StoreAtAsync(ChordContact holder, ChordId keyId, byte[] value, ChordLookupResult stats, CancellationToken cancellationToken, long? leftSeconds = null)
        {
            if (holder.Id == _self.Id)
            {
                lock (_gate)
                {
                    if (_store == null) { _store = new KeyStore(); WakeMaintenance(); }
                    if (!_store.Put(keyId, value, ExpiryFor(leftSeconds), _options.MaxValuesPerKey))
                        return (KrpcErrorCode.TooManyValues, $"a key holds at most {_options.MaxValuesPerKey} values");
                }
                Interlocked.Increment(ref Counters._valuesStored);
                return (0, null);
            }
            var token = await TokenFromAsync(holder, keyId, stats, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (token == null) return (-1, $"{holder} did not answer");
            var store = KrpcMessage.Query(KrpcMethod.StoreValue, _self.Id);
            store.Target = keyId;
            store.Value = value;
            store.Token = token;
            store.Left = leftSeconds;
            var answer = await QueryAsync(holder.EndPoint, store, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken, stats).ConfigureAwait(Runtime.IsSimulated);
            if (answer == null) return (-1, $"{holder} did not answer");
            if (answer.Kind == KrpcKind.Error) return (answer.ErrorCode, $"{holder}: error {answer.ErrorCode} {answer.ErrorMessage}");
            return (0, null);
        }

        /// <summary>A store token from <paramref name="holder"/>: the one every closest_preceding answer carries.</summary>
        async Task<byte[]> TokenFromAsync(ChordContact holder, ChordId keyId, ChordLookupResult stats, CancellationToken cancellationToken)
        {
            var ask = KrpcMessage.Query(KrpcMethod.ClosestPreceding, _self.Id);
            ask.Target = keyId;
            var answer = await QueryAsync(holder.EndPoint, ask, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken, stats).ConfigureAwait(Runtime.IsSimulated);
            return answer?.Kind == KrpcKind.Response ? answer.Token : null;
        }

        /// <summary>Every value one holder has for the key, following "more"; null when it did not answer or refused (301).</summary>
        async Task<List<byte[]>> ValuesAtAsync(ChordContact holder, ChordId keyId, CancellationToken cancellationToken)
        {
            if (holder.Id == _self.Id)
                lock (_gate) return new List<byte[]>(_store?.Get(keyId, Runtime.Clock.Now.UtcTicks) ?? Array.Empty<byte[]>());
            var values = new List<byte[]>();
            int from = 0;
            for (int page = 0; page < 200; page++)
            {
                var ask = KrpcMessage.Query(KrpcMethod.GetValues, _self.Id);
                ask.Target = keyId;
                if (from > 0) ask.FromIndex = from;
                var answer = await QueryAsync(holder.EndPoint, ask, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer == null || answer.Kind != KrpcKind.Response) return page == 0 ? null : values;
                if (answer.Values != null) values.AddRange(answer.Values);
                if (answer.MoreIndex == null || answer.MoreIndex.Value <= from) break;
                from = answer.MoreIndex.Value;
            }
            return values;
        }

        async Task RefreshPublishedAsync()
        {
            (string Key, byte[] Value)[] published;
            lock (_gate) published = _published?.ToArray();
            if (published == null) return;
            foreach (var (key, value) in published)
            {
                if (Stopping.IsCancellationRequested) return;
                await StoreAsync(key, value, false, Stopping).ConfigureAwait(Runtime.IsSimulated);
            }
        }

        /// <summary>
        /// When a value taken now expires: a full lifetime for a store, or what a handed-on copy has left (never more
        /// than a lifetime, so nobody can make a value outlive its publisher by claiming a long one).
        /// </summary>
        long ExpiryFor(long? leftSeconds)
        {
            var lifetime = _options.ValueLifetime;
            if (leftSeconds.HasValue && leftSeconds.Value < lifetime.TotalSeconds) lifetime = TimeSpan.FromSeconds(leftSeconds.Value);
            return (Runtime.Clock.Now + lifetime).UtcTicks;
        }

        /// <summary>Whole seconds a value expiring at <paramref name="expiresTicks"/> has left (for the wire's "left").</summary>
        long SecondsLeft(long expiresTicks) => Math.Max(0, (expiresTicks - Runtime.Clock.Now.UtcTicks) / TimeSpan.TicksPerSecond);
    }
}
