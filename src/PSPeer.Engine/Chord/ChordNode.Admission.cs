using System.Collections.Generic;
using System.Net;
using System.Threading;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Flood control for queries: while this node receives no more than MaxQueriesPerSecondPerAddress queries a
    // second in all, it keeps no per-address state at all (a quiet node in a million-node simulation pays nothing);
    // past that, it counts per source address for the rest of the second and drops what an address sends beyond its
    // allowance. So one flooder gets at most twice its allowance answered a second, and everyone else still gets theirs.
    public sealed partial class ChordNode
    {
        const int MaxTrackedAddresses = 4096;
        long _floodSecond;
        int _floodTotal;
        Dictionary<IPAddress, int> _floodByAddress;

        bool Admit(IPEndPoint from)
        {
            int limit = _options.MaxQueriesPerSecondPerAddress;
            if (limit <= 0) return true;
            bool admitted;
            lock (_gate)
            {
                long second = Runtime.Clock.Now.UtcTicks / System.TimeSpan.TicksPerSecond;
                if (second != _floodSecond)
                {
                    _floodSecond = second;
                    _floodTotal = 0;
                    _floodByAddress = null;
                }
                if (++_floodTotal <= limit) return true;
                if (_floodByAddress == null) _floodByAddress = new Dictionary<IPAddress, int>();
                _floodByAddress.TryGetValue(from.Address, out int count);
                if (count == 0 && _floodByAddress.Count >= MaxTrackedAddresses) admitted = false; // a spray of sources: shed
                else
                {
                    _floodByAddress[from.Address] = ++count;
                    admitted = count <= limit;
                }
            }
            if (!admitted)
            {
                long dropped = Interlocked.Increment(ref Counters._floodDropped);
                // One event per thousand drops: a flood must not become a flood of events.
                if (HasEventObservers && dropped % 1000 == 1)
                    Emit(PeerEventTypes.RateLimited, from.ToString(), $"dropping queries from {from.Address}: over {limit} a second ({dropped} dropped so far)",
                        D("Address", from.Address.ToString()), D("Dropped", dropped));
            }
            return admitted;
        }
    }
}
