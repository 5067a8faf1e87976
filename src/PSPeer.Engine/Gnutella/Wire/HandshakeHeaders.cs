using System;
using System.Collections;
using System.Collections.Generic;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The header fields of one handshake head, kept as the bytes they arrived in: names compare case-insensitively
    /// against those bytes, and a value becomes a string only when someone asks for it (the usual short ones, "0.1",
    /// "True", "deflate", are shared constants). A head has a dozen fields and a servent asks for about as many, so a
    /// dictionary of strings per head was most of the garbage of building a simulated network.
    /// </summary>
    /// <remarks>
    /// Lookups are linear: a head holds at most a few dozen fields (its size is bounded by the head reader). Repeated
    /// names are joined with "," under the first one's spelling, and folded continuation lines are appended after a
    /// space, as a dictionary built line by line did. Not thread-safe for concurrent first reads of one value.
    /// </remarks>
    public sealed class HandshakeHeaders : IReadOnlyDictionary<string, string>
    {
        public static readonly HandshakeHeaders Empty = new HandshakeHeaders(new byte[0]);

        // Values servents say again and again; a value with these bytes is handed out as this string.
        static readonly string[] CommonValues =
        {
            "0.1", "0.2", "0.5", "1.0", "True", "False", "true", "false", "deflate", "PSPeer/0.1", "7", "32", "16", "1",
        };

        byte[] _bytes;
        // Per field: name start, name length, value start, value length (value -1 when the value is in _values already).
        int[] _spans;
        string[] _names;
        string[] _values;
        int _count;
        int _last;   // the field the latest line named (a repeated name joins an earlier one)
        // A head parsed in a lent buffer (HandshakeHeadBuffer) is good only until that buffer is refilled.
        HandshakeHeadBuffer _lender;
        int _generation;

        /// <param name="lines">How many fields there can be (the head's line count), so the spans are allocated once.</param>
        internal HandshakeHeaders(byte[] bytes, int lines = 8)
        {
            _bytes = bytes;
            _spans = new int[4 * Math.Max(1, lines)];
        }

        /// <summary>Fields in <paramref name="lender"/>'s bytes, good until it is refilled; its span room is used too.</summary>
        internal HandshakeHeaders(HandshakeHeadBuffer lender, int lines)
        {
            _bytes = lender.Bytes;
            _spans = lender.Spans(4 * Math.Max(1, lines));
            _lender = lender;
            _generation = lender.Generation;
        }

        /// <summary>These headers made over for the next head in <paramref name="lender"/>'s bytes (a lent head's headers are reused).</summary>
        internal HandshakeHeaders Refill(HandshakeHeadBuffer lender, int lines)
        {
            _bytes = lender.Bytes;
            _spans = lender.Spans(4 * Math.Max(1, lines));
            _names = null;
            _values = null;
            _count = 0;
            _last = 0;
            _lender = lender;
            _generation = lender.Generation;
            return this;
        }

        /// <summary>The buffer these headers were lent from, or null for headers with bytes of their own.</summary>
        internal HandshakeHeadBuffer Lender => _lender;

        /// <summary>Given back: reading them throws until they are refilled.</summary>
        internal void Retire() => _generation = -1;

        // A lent head read after its buffer was refilled would read another head's bytes: it throws instead.
        void CheckLent() => _lender?.Check(_generation);

        public int Count { get { CheckLent(); return _count; } }

        /// <summary>Adds one "name: value" field found in the bytes (both already trimmed), joining a repeated name.</summary>
        internal void Add(int nameStart, int nameLength, int valueStart, int valueLength)
        {
            int existing = Find(_bytes, nameStart, nameLength);
            if (existing >= 0)
            {
                SetValue(existing, ValueAt(existing) + "," + Latin1.Text(_bytes, valueStart, valueLength));
                _last = existing;
                return;
            }
            if (_count * 4 == _spans.Length) Array.Resize(ref _spans, _spans.Length * 2);
            int at = _count * 4;
            _spans[at] = nameStart;
            _spans[at + 1] = nameLength;
            _spans[at + 2] = valueStart;
            _spans[at + 3] = valueLength;
            _last = _count++;
        }

        /// <summary>A folded line: appended after a space to the value of the field the previous line named.</summary>
        internal void ContinueLast(int start, int length) => SetValue(_last, ValueAt(_last) + " " + Latin1.Text(_bytes, start, length));

        internal bool HasFields => _count > 0;

        void SetValue(int index, string value)
        {
            if (_values == null) _values = new string[_spans.Length / 4];
            else if (_values.Length <= index) Array.Resize(ref _values, _spans.Length / 4);
            _values[index] = value;
            _spans[index * 4 + 3] = -1;
        }

        string ValueAt(int index)
        {
            if (_values != null && index < _values.Length && _values[index] != null) return _values[index];
            int at = index * 4;
            string value = Common(_bytes, _spans[at + 2], _spans[at + 3]) ?? Latin1.Text(_bytes, _spans[at + 2], _spans[at + 3]);
            // A lent head lives for one step of a handshake, which asks for each value about once: nothing to cache.
            if (_lender != null) return value;
            // Each value is made once: a servent may ask for one several times.
            if (_values == null) _values = new string[_spans.Length / 4];
            else if (_values.Length <= index) Array.Resize(ref _values, _spans.Length / 4);
            _values[index] = value;
            return value;
        }

        string NameAt(int index)
        {
            if (_names == null) _names = new string[_count];
            else if (_names.Length < _count) Array.Resize(ref _names, _count);
            return _names[index] ?? (_names[index] = Latin1.Text(_bytes, _spans[index * 4], _spans[index * 4 + 1]));
        }

        // The field whose name equals bytes[start..start+length) ignoring case, or -1.
        int Find(byte[] bytes, int start, int length)
        {
            for (int i = 0; i < _count; i++)
            {
                int at = i * 4;
                if (_spans[at + 1] != length) continue;
                int a = _spans[at];
                int k = 0;
                while (k < length && SameIgnoringCase((char)_bytes[a + k], (char)bytes[start + k])) k++;
                if (k == length) return i;
            }
            return -1;
        }

        int Find(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            CheckLent();
            for (int i = 0; i < _count; i++)
            {
                int at = i * 4;
                if (_spans[at + 1] != name.Length) continue;
                int a = _spans[at];
                int k = 0;
                while (k < name.Length && SameIgnoringCase((char)_bytes[a + k], name[k])) k++;
                if (k == name.Length) return i;
            }
            return -1;
        }

        // What StringComparer.OrdinalIgnoreCase decides for one pair of characters.
        static bool SameIgnoringCase(char x, char y)
        {
            if (x == y) return true;
            if ((x | y) < 0x80)
            {
                if ((uint)(x - 'a') <= 'z' - 'a') x = (char)(x - 32);
                if ((uint)(y - 'a') <= 'z' - 'a') y = (char)(y - 32);
                return x == y;
            }
            return char.ToUpperInvariant(x) == char.ToUpperInvariant(y);
        }

        static string Common(byte[] bytes, int start, int length)
        {
            foreach (var s in CommonValues)
            {
                if (s.Length != length) continue;
                int k = 0;
                while (k < length && bytes[start + k] == s[k]) k++;
                if (k == length) return s;
            }
            return null;
        }

        public bool ContainsKey(string key) => Find(key) >= 0;

        /// <summary>
        /// Where a field's value sits in the bytes it arrived in (trimmed, Latin-1), to be read without a string; false
        /// when there is no such field, or its value was joined from repeated or folded lines (only the string holds it).
        /// </summary>
        internal bool TryGetValueBytes(string key, out byte[] bytes, out int start, out int length)
        {
            int i = Find(key);
            if (i < 0 || _spans[i * 4 + 3] < 0)
            {
                bytes = null;
                start = length = 0;
                return false;
            }
            bytes = _bytes;
            start = _spans[i * 4 + 2];
            length = _spans[i * 4 + 3];
            return true;
        }

        public bool TryGetValue(string key, out string value)
        {
            int i = Find(key);
            value = i >= 0 ? ValueAt(i) : null;
            return i >= 0;
        }

        public string this[string key]
        {
            get
            {
                int i = Find(key);
                if (i < 0) throw new KeyNotFoundException($"The handshake has no '{key}' header.");
                return ValueAt(i);
            }
        }

        public IEnumerable<string> Keys
        {
            get { CheckLent(); for (int i = 0; i < _count; i++) yield return NameAt(i); }
        }

        public IEnumerable<string> Values
        {
            get { CheckLent(); for (int i = 0; i < _count; i++) yield return ValueAt(i); }
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            CheckLent();
            for (int i = 0; i < _count; i++) yield return new KeyValuePair<string, string>(NameAt(i), ValueAt(i));
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
