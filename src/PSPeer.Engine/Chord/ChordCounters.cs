using System.Threading;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// What a node has sent, received, refused and dropped since it was created. Plain fields bumped with Interlocked
    /// (live nodes receive on one thread and run timers on others); reading them is a snapshot per field.
    /// </summary>
    public sealed class ChordCounters
    {
        internal long _datagramsIn, _datagramsOut, _bytesIn, _bytesOut;
        internal long _queriesIn, _responsesIn, _errorsIn;
        internal long _malformedDropped, _floodDropped, _unmatchedResponses;
        internal long _lookups, _lookupsFailed, _retries, _rpcTimeouts;
        internal long _notifyIgnored, _valuesStored, _keysTransferredIn, _keysTransferredOut, _staleKeysDropped;
        // Errors sent, by code: 201-204 at 0-3, 301-305 at 4-8. Made on the first error, so a quiet node pays nothing.
        long[] _errorsSent;

        public long DatagramsIn => Interlocked.Read(ref _datagramsIn);
        public long DatagramsOut => Interlocked.Read(ref _datagramsOut);
        public long BytesIn => Interlocked.Read(ref _bytesIn);
        public long BytesOut => Interlocked.Read(ref _bytesOut);
        public long QueriesIn => Interlocked.Read(ref _queriesIn);
        public long ResponsesIn => Interlocked.Read(ref _responsesIn);
        /// <summary>KRPC errors received in answer to our queries.</summary>
        public long ErrorsIn => Interlocked.Read(ref _errorsIn);
        /// <summary>Datagrams dropped because they could not be read at all (not bencode, no transaction id, oversized).</summary>
        public long MalformedDropped => Interlocked.Read(ref _malformedDropped);
        /// <summary>Datagrams dropped because their source sent more than its allowance.</summary>
        public long FloodDropped => Interlocked.Read(ref _floodDropped);
        /// <summary>Responses that matched no query of ours (late, duplicated or spoofed).</summary>
        public long UnmatchedResponses => Interlocked.Read(ref _unmatchedResponses);
        /// <summary>Lookups this node started (its own, refreshes and maintenance not counted).</summary>
        public long Lookups => Interlocked.Read(ref _lookups);
        public long LookupsFailed => Interlocked.Read(ref _lookupsFailed);
        /// <summary>Queries sent again or around a node that did not answer.</summary>
        public long Retries => Interlocked.Read(ref _retries);
        public long RpcTimeouts => Interlocked.Read(ref _rpcTimeouts);
        /// <summary>notify queries ignored because the sender's id is not SHA-1 of its address.</summary>
        public long NotifyIgnored => Interlocked.Read(ref _notifyIgnored);
        public long ValuesStored => Interlocked.Read(ref _valuesStored);
        public long KeysTransferredIn => Interlocked.Read(ref _keysTransferredIn);
        public long KeysTransferredOut => Interlocked.Read(ref _keysTransferredOut);
        /// <summary>Keys dropped because this node no longer owns or replicates them, once their holders had them.</summary>
        public long StaleKeysDropped => Interlocked.Read(ref _staleKeysDropped);

        /// <summary>Errors of this KRPC code (201-204, 301-305) this node sent.</summary>
        public long ErrorsSent(int code)
        {
            int i = Slot(code);
            var errors = Volatile.Read(ref _errorsSent);
            return i < 0 || errors == null ? 0 : Interlocked.Read(ref errors[i]);
        }

        /// <summary>Every error this node sent.</summary>
        public long ErrorsSentTotal
        {
            get
            {
                var errors = Volatile.Read(ref _errorsSent);
                long total = 0;
                if (errors != null) for (int i = 0; i < errors.Length; i++) total += Interlocked.Read(ref errors[i]);
                return total;
            }
        }

        internal void CountErrorSent(int code)
        {
            int i = Slot(code);
            if (i < 0) return;
            var errors = Volatile.Read(ref _errorsSent) ?? Interlocked.CompareExchange(ref _errorsSent, new long[9], null) ?? _errorsSent;
            Interlocked.Increment(ref errors[i]);
        }

        static int Slot(int code) => code >= 201 && code <= 204 ? code - 201 : code >= 301 && code <= 305 ? code - 297 : -1;
    }
}
