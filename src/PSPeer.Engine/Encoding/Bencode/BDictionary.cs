using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// A bencoded dictionary (d...e). Entries are kept sorted by the raw bytes of their keys, so encoding is always
    /// canonical; the decoder accepts unsorted input from the wild (the SourceOffset keeps the exact bytes).
    /// </summary>
    public sealed class BDictionary : BValue
    {
        readonly SortedDictionary<BString, BValue> _entries = new SortedDictionary<BString, BValue>(KeyOrder.Instance);

        /// <summary>Gets the value for a UTF-8 key (null when absent); set with null removes the key.</summary>
        public BValue this[string key]
        {
            get => this[new BString(key)];
            set => this[new BString(key)] = value;
        }

        public BValue this[BString key]
        {
            get => _entries.TryGetValue(key, out var v) ? v : null;
            set
            {
                if (key == null) throw new ArgumentNullException(nameof(key));
                if (value == null) _entries.Remove(key);
                else _entries[key] = value;
            }
        }

        public int Count => _entries.Count;
        public bool ContainsKey(string key) => _entries.ContainsKey(new BString(key));
        public bool ContainsKey(BString key) => _entries.ContainsKey(key);

        /// <summary>Entries in canonical (raw byte) key order.</summary>
        public IEnumerable<KeyValuePair<BString, BValue>> Entries => _entries;

        /// <summary>Adds a key; returns false when it was already there (the decoder refuses duplicates).</summary>
        internal bool TryAdd(BString key, BValue value)
        {
            if (_entries.ContainsKey(key)) return false;
            _entries.Add(key, value);
            return true;
        }

        /// <summary>The value as UTF-8 text, or null when absent or not a string.</summary>
        public string GetText(string key) => (this[key] as BString)?.Text;

        /// <summary>The integer value, or null when absent or not an integer.</summary>
        public long? GetInteger(string key) => (this[key] as BInteger)?.Value;

        /// <summary>The raw bytes of a string value, or null when absent or not a string.</summary>
        public byte[] GetBytes(string key) => (this[key] as BString)?.Bytes;

        public BList GetList(string key) => this[key] as BList;
        public BDictionary GetDictionary(string key) => this[key] as BDictionary;

        sealed class KeyOrder : IComparer<BString>
        {
            public static readonly KeyOrder Instance = new KeyOrder();
            public int Compare(BString x, BString y) => BString.CompareBytes(x.Bytes, y.Bytes);
        }
    }
}
