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
    sealed class ConnectionTable
    {
        readonly object _gate = new object();
        SimulatedStream[] _ends = new SimulatedStream[256];   // [2 × slot]: the dialling end, [2 × slot + 1]: the accepted end
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
                else
                {
                    slot = _slotsUsed++;
                    if (2 * _slotsUsed > _ends.Length)
                    {
                        var grown = new SimulatedStream[_ends.Length * 2];
                        _ends.CopyTo(grown, 0);
                        Volatile.Write(ref _ends, grown);
                    }
                }
                _ends[2 * slot] = client;
                _ends[2 * slot + 1] = server;
                return 2 * slot;
            }
        }

        /// <summary>The end with this number, or null once it was released.</summary>
        public SimulatedStream At(int end) => Volatile.Read(ref _ends)[end];

        /// <summary>End <paramref name="end"/> is finished: its entry goes, and the slot too once the other end's has.</summary>
        public void Release(int end)
        {
            lock (_gate)
            {
                _ends[end] = null;
                if (_ends[end ^ 1] != null) return;
                if (_freeCount == _freeSlots.Length) System.Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
                _freeSlots[_freeCount++] = end >> 1;
            }
        }
    }
}
