using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// A node's 160 fingers, stored as the few distinct contacts they name (about log2 N of them) and one byte per
    /// finger pointing into that list: a few hundred bytes instead of 160 references, and routing scans only the
    /// distinct contacts. Not thread-safe: the node's lock guards it.
    /// </summary>
    sealed class FingerTable
    {
        // _slots[i] == 0: finger i+1 unknown; k: _contacts[k - 1]. Made on the first finger set.
        byte[] _slots;
        ChordContact[] _contacts;

        public ChordContact Get(int index)
        {
            if (_slots == null) return null;
            int k = _slots[index];
            return k == 0 ? null : _contacts[k - 1];
        }

        /// <summary>Distinct contacts among the fingers, in no particular order (nulls where a place is free).</summary>
        public ChordContact[] Distinct => _contacts ?? Array.Empty<ChordContact>();

        public void Set(int index, ChordContact contact)
        {
            if (_slots == null)
            {
                if (contact == null) return;
                _slots = new byte[ChordId.Bits];
                _contacts = new ChordContact[4];
            }
            int old = _slots[index];
            if (contact == null) { _slots[index] = 0; Release(old); return; }
            if (old != 0 && _contacts[old - 1].Id == contact.Id && _contacts[old - 1].EndPoint.Equals(contact.EndPoint)) return;
            int free = -1, found = -1;
            for (int k = 0; k < _contacts.Length; k++)
            {
                var c = _contacts[k];
                if (c == null) { if (free < 0) free = k; continue; }
                if (c.Id == contact.Id && c.EndPoint.Equals(contact.EndPoint)) { found = k; break; }
            }
            if (found < 0)
            {
                if (free < 0)
                {
                    free = _contacts.Length;
                    Array.Resize(ref _contacts, Math.Min(_contacts.Length * 2, ChordId.Bits));
                }
                _contacts[free] = contact;
                found = free;
            }
            _slots[index] = (byte)(found + 1);
            Release(old);
        }

        /// <summary>Forgets a contact wherever it is a finger (a node found dead).</summary>
        public bool Remove(ChordId id)
        {
            if (_contacts == null) return false;
            bool removed = false;
            for (int k = 0; k < _contacts.Length; k++)
            {
                if (_contacts[k] == null || _contacts[k].Id != id) continue;
                _contacts[k] = null;
                for (int i = 0; i < _slots.Length; i++) if (_slots[i] == k + 1) _slots[i] = 0;
                removed = true;
            }
            return removed;
        }

        public void Clear()
        {
            _slots = null;
            _contacts = null;
        }

        // The contact at place k is free again when no finger points at it.
        void Release(int slot)
        {
            if (slot == 0) return;
            for (int i = 0; i < _slots.Length; i++) if (_slots[i] == slot) return;
            _contacts[slot - 1] = null;
        }

        public IReadOnlyList<ChordContact> Snapshot()
        {
            var fingers = new ChordContact[ChordId.Bits];
            for (int i = 0; i < fingers.Length; i++) fingers[i] = Get(i);
            return fingers;
        }
    }
}
