using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// How many open connections each remote address holds (the gate's per-address limit): a handful of addresses in a
    /// small array searched in order, a dictionary once there are more. A simulated ultrapeer's links come from a few
    /// addresses, one connection each, and a dictionary with its buckets and entries cost each about 600 bytes; a public
    /// node under a flood meets thousands of addresses, where a search in order would not do.
    /// </summary>
    /// <remarks>A mutable struct: keep one copy (a field, used in place). Not thread-safe: the gate's lock guards it.
    /// Addresses compare ordinal, ignoring case, as before.</remarks>
    struct AddressCounts
    {
        // Past this many addresses the counts move to a dictionary (and stay there).
        const int MaxFew = 16;

        struct Entry
        {
            public string Address;
            public int Count;
        }

        Entry[] _few;   // null while empty (and once counts moved to _many)
        int _fewCount;
        Dictionary<string, int> _many;

        /// <summary>Connections open from <paramref name="address"/> (0 when none).</summary>
        public int Of(string address)
        {
            if (_many != null) return _many.TryGetValue(address, out int n) ? n : 0;
            int at = IndexOf(address);
            return at < 0 ? 0 : _few[at].Count;
        }

        /// <summary>One more connection from <paramref name="address"/>.</summary>
        public void Increment(string address)
        {
            if (_many != null)
            {
                _many.TryGetValue(address, out int n);
                _many[address] = n + 1;
                return;
            }
            int at = IndexOf(address);
            if (at >= 0) { _few[at].Count++; return; }
            if (_fewCount == MaxFew)
            {
                _many = new Dictionary<string, int>(2 * MaxFew, StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < _fewCount; i++) _many.Add(_few[i].Address, _few[i].Count);
                _many.Add(address, 1);
                _few = null;
                _fewCount = 0;
                return;
            }
            if (_few == null) _few = new Entry[4];
            else if (_fewCount == _few.Length) Array.Resize(ref _few, _few.Length * 2);
            _few[_fewCount++] = new Entry { Address = address, Count = 1 };
        }

        /// <summary>One connection fewer from <paramref name="address"/> (nothing when it holds none).</summary>
        public void Decrement(string address)
        {
            if (_many != null)
            {
                if (!_many.TryGetValue(address, out int n)) return;
                if (n <= 1) _many.Remove(address);
                else _many[address] = n - 1;
                return;
            }
            int at = IndexOf(address);
            if (at < 0) return;
            if (--_few[at].Count > 0) return;
            // The last entry takes its place; the array goes once empty.
            _few[at] = _few[--_fewCount];
            _few[_fewCount] = default;
            if (_fewCount == 0) _few = null;
        }

        int IndexOf(string address)
        {
            for (int i = 0; i < _fewCount; i++)
                if (string.Equals(_few[i].Address, address, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
    }
}
