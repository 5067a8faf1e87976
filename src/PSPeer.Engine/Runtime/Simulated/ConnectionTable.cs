using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Both ends of every open simulated connection, two entries per slot: an end reaches its peer through here, by
    /// number, not through a reference. With references, each host's objects lead to every other host's (stream, peer
    /// stream, its reader, its servent, that servent's other streams…), and the garbage collector, marking depth-first,
    /// follows that chain across the whole network: from 10^5 hosts on its mark stack overflows and full collections
    /// rescan the heap for what they dropped. Through the table, what a host's objects reach ends at its own ends.
    /// An end gives its entry back when it is finished (nothing more can be sent to it); the slot is reused once both
    /// ends have.
    /// </summary>
    /// <remarks>
    /// The ends are kept in chunks of 1,024 (8 KiB each), not in one array: one array of every end of a large network
    /// lives on the large object heap, which is old from birth, so each new (young) end written into it marked a card
    /// for the next young collection to scan, and doubling it (to 8 MiB at 10^5 servents) allocated there again and
    /// again, which is what starts full collections early. A chunk is young while it is being filled, as its ends are.
    /// </remarks>
    sealed class ConnectionTable
    {
        const int ChunkBits = 10;
        const int ChunkSize = 1 << ChunkBits;   // ends per chunk: 512 connections

        readonly object _gate = new object();
        // [end >> ChunkBits][end & (ChunkSize - 1)]; end 2 × slot is the dialling end, 2 × slot + 1 the accepted end.
        // Chunks are never replaced, only the outer array grows, so a reader on another thread sees a chunk or null.
        SimulatedStream[][] _chunks = new SimulatedStream[16][];
        int[] _freeSlots = new int[64];
        int _freeCount;
        int _slotsUsed;

        /// <summary>Takes a slot for a new connection; returns the dialling end's number (the accepted end's is one more).</summary>
        public int Add(SimulatedStream client, SimulatedStream server)
        {
            lock (_gate)
            {
                int slot;
                if (_freeCount > 0) slot = _freeSlots[--_freeCount];
                else slot = _slotsUsed++;
                int end = 2 * slot;
                var chunk = Chunk(end >> ChunkBits);
                chunk[end & (ChunkSize - 1)] = client;
                chunk[(end & (ChunkSize - 1)) + 1] = server;
                return end;
            }
        }

        /// <summary>The chunk with this index, made (and the outer array grown) if it is the next one.</summary>
        SimulatedStream[] Chunk(int index)
        {
            var chunks = _chunks;
            if (index == chunks.Length)
            {
                var grown = new SimulatedStream[chunks.Length * 2][];
                chunks.CopyTo(grown, 0);
                Volatile.Write(ref _chunks, grown);
                chunks = grown;
            }
            return chunks[index] ?? (chunks[index] = new SimulatedStream[ChunkSize]);
        }

        /// <summary>The end with this number, or null once it was released.</summary>
        public SimulatedStream At(int end) => Volatile.Read(ref _chunks)[end >> ChunkBits][end & (ChunkSize - 1)];

        /// <summary>End <paramref name="end"/> is finished: its entry goes, and the slot too once the other end's has.</summary>
        public void Release(int end)
        {
            lock (_gate)
            {
                var chunk = _chunks[end >> ChunkBits];
                chunk[end & (ChunkSize - 1)] = null;
                if (chunk[(end ^ 1) & (ChunkSize - 1)] != null) return;
                if (_freeCount == _freeSlots.Length) System.Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
                _freeSlots[_freeCount++] = end >> 1;
            }
        }
    }
}
