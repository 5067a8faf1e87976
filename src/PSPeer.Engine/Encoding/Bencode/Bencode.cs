using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// BEP 3 bencoding. Decoding is strict (no leading zeros, no "-0", integers within a long, string keys without
    /// duplicates, nothing after the value) and bounded by <see cref="BencodeLimits"/>; it throws only
    /// <see cref="BencodeException"/>. Encoding is canonical: dictionary keys sorted by raw bytes.
    /// </summary>
    public static class Bencode
    {
        /// <summary>Decodes a buffer that must hold exactly one value.</summary>
        public static BValue Decode(byte[] data, BencodeLimits limits = null)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            return Decode(data, 0, data.Length, limits);
        }

        /// <summary>
        /// Decodes <paramref name="count"/> bytes from <paramref name="offset"/>, which must hold exactly one value.
        /// SourceOffset of every value and BencodeException.Offset are indexes into <paramref name="data"/>.
        /// </summary>
        public static BValue Decode(byte[] data, int offset, int count, BencodeLimits limits = null)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            var decoder = new Decoder(data, offset, offset + count, limits ?? BencodeLimits.Default);
            return decoder.DecodeWhole();
        }

        /// <summary>Decodes one value at the start of the range and says how many bytes it took; bytes after it are not read.</summary>
        public static BValue DecodePrefix(byte[] data, int offset, int count, out int consumed, BencodeLimits limits = null)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            var decoder = new Decoder(data, offset, offset + count, limits ?? BencodeLimits.Default);
            var value = decoder.DecodeFirst();
            consumed = value.SourceLength;
            return value;
        }

        /// <summary>Canonical bencoding of a value.</summary>
        public static byte[] Encode(BValue value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            using (var ms = new MemoryStream())
            {
                Write(ms, value, 0);
                return ms.ToArray();
            }
        }

        static void Write(MemoryStream ms, BValue value, int depth)
        {
            // Values built in code may nest deeply by mistake; keep the encoder off the edge of the stack too.
            if (depth > 1024) throw new InvalidOperationException("Bencode value nested more than 1024 levels deep.");
            switch (value)
            {
                case BString s:
                    WriteString(ms, s.Bytes);
                    break;
                case BInteger i:
                    ms.WriteByte((byte)'i');
                    WriteAscii(ms, i.Value.ToString(CultureInfo.InvariantCulture));
                    ms.WriteByte((byte)'e');
                    break;
                case BList l:
                    ms.WriteByte((byte)'l');
                    foreach (var item in l) Write(ms, item, depth + 1);
                    ms.WriteByte((byte)'e');
                    break;
                case BDictionary d:
                    ms.WriteByte((byte)'d');
                    foreach (var entry in d.Entries)
                    {
                        WriteString(ms, entry.Key.Bytes);
                        Write(ms, entry.Value, depth + 1);
                    }
                    ms.WriteByte((byte)'e');
                    break;
                case BRawValue raw:
                    ms.Write(raw.Encoded, 0, raw.Encoded.Length);
                    break;
                default:
                    throw new ArgumentException("Unknown bencode value type " + value.GetType().Name + ".", nameof(value));
            }
        }

        static void WriteString(MemoryStream ms, byte[] bytes)
        {
            WriteAscii(ms, bytes.Length.ToString(CultureInfo.InvariantCulture));
            ms.WriteByte((byte)':');
            ms.Write(bytes, 0, bytes.Length);
        }

        static void WriteAscii(MemoryStream ms, string text)
        {
            foreach (char c in text) ms.WriteByte((byte)c);
        }

        /// <summary>Recursive descent; depth is bounded by the limits so recursion cannot overflow the stack.</summary>
        sealed class Decoder
        {
            readonly byte[] _data;
            readonly int _start;
            readonly int _end;
            readonly BencodeLimits _limits;
            int _pos;
            int _items;

            public Decoder(byte[] data, int start, int end, BencodeLimits limits)
            {
                _data = data;
                _start = start;
                _end = end;
                _pos = start;
                _limits = limits;
            }

            public BValue DecodeWhole()
            {
                var value = DecodeFirst();
                if (_pos != _end) throw Error("Unexpected data after the end of the bencoded value", _pos);
                return value;
            }

            public BValue DecodeFirst()
            {
                if (_end - _start > _limits.MaxTotalBytes)
                    throw Error("Bencoded input of " + (_end - _start) + " bytes is larger than the limit of " + _limits.MaxTotalBytes + " bytes", _start);
                if (_end == _start) throw Error("Empty input: expected a bencoded value", _start);
                return ReadValue(0);
            }

            BencodeException Error(string message, long at) => new BencodeException(message, at);

            BValue ReadValue(int depth)
            {
                if (_pos >= _end) throw Error("Unexpected end of data: expected a value", _pos);
                if (++_items > _limits.MaxItems) throw Error("More than " + _limits.MaxItems + " values", _pos);
                byte b = _data[_pos];
                if (b == (byte)'i') return ReadInteger();
                if (b >= (byte)'0' && b <= (byte)'9') return ReadString();
                if (b == (byte)'l' || b == (byte)'d')
                {
                    if (depth >= _limits.MaxDepth) throw Error("Lists and dictionaries nested deeper than " + _limits.MaxDepth + " levels", _pos);
                    return b == (byte)'l' ? (BValue)ReadList(depth) : ReadDictionary(depth);
                }
                throw Error("Unexpected byte " + Describe(b) + ": expected 'i', 'l', 'd' or a string length", _pos);
            }

            BInteger ReadInteger()
            {
                int begin = _pos;
                _pos++; // 'i'
                bool negative = false;
                if (_pos < _end && _data[_pos] == (byte)'-') { negative = true; _pos++; }
                int digitsStart = _pos;
                // Accumulate as a negative number so long.MinValue fits.
                long value = 0;
                while (_pos < _end && _data[_pos] >= (byte)'0' && _data[_pos] <= (byte)'9')
                {
                    int digit = _data[_pos] - '0';
                    if (value < (long.MinValue + digit) / 10) throw Error("Integer out of range of a 64-bit value", begin);
                    value = value * 10 - digit;
                    _pos++;
                }
                int digits = _pos - digitsStart;
                if (_pos >= _end) throw Error("Unexpected end of data inside an integer", _pos);
                if (_data[_pos] != (byte)'e')
                    throw Error("Unexpected byte " + Describe(_data[_pos]) + " in an integer: expected a digit or 'e'", _pos);
                if (digits == 0) throw Error("Integer without digits", begin);
                if (digits > 1 && _data[digitsStart] == (byte)'0') throw Error("Integer with a leading zero", digitsStart);
                if (negative && value == 0) throw Error("Negative zero is not a valid integer", begin);
                if (!negative)
                {
                    if (value == long.MinValue) throw Error("Integer out of range of a 64-bit value", begin);
                    value = -value;
                }
                _pos++; // 'e'
                var result = new BInteger(value);
                result.SetSource(begin, _pos - begin);
                return result;
            }

            BString ReadString()
            {
                int begin = _pos;
                long length = 0;
                while (_pos < _end && _data[_pos] >= (byte)'0' && _data[_pos] <= (byte)'9')
                {
                    length = length * 10 + (_data[_pos] - '0');
                    // Bound the length as it is read, before anything is allocated.
                    if (length > _limits.MaxStringLength)
                        throw Error("String longer than the limit of " + _limits.MaxStringLength + " bytes", begin);
                    _pos++;
                }
                if (_pos >= _end) throw Error("Unexpected end of data inside a string length", _pos);
                if (_data[_pos] != (byte)':')
                    throw Error("Unexpected byte " + Describe(_data[_pos]) + " in a string length: expected a digit or ':'", _pos);
                if (_pos - begin > 1 && _data[begin] == (byte)'0') throw Error("String length with a leading zero", begin);
                _pos++; // ':'
                if (length > _end - _pos)
                    throw Error("String of " + length + " bytes runs past the end of the data (" + (_end - _pos) + " bytes left)", begin);
                var bytes = new byte[length];
                Buffer.BlockCopy(_data, _pos, bytes, 0, (int)length);
                _pos += (int)length;
                var result = new BString(bytes);
                result.SetSource(begin, _pos - begin);
                return result;
            }

            BList ReadList(int depth)
            {
                int begin = _pos;
                _pos++; // 'l'
                var list = new BList();
                while (true)
                {
                    if (_pos >= _end) throw Error("Unexpected end of data inside a list that starts", begin);
                    if (_data[_pos] == (byte)'e') break;
                    list.Add(ReadValue(depth + 1));
                }
                _pos++; // 'e'
                list.SetSource(begin, _pos - begin);
                return list;
            }

            BDictionary ReadDictionary(int depth)
            {
                int begin = _pos;
                _pos++; // 'd'
                var dict = new BDictionary();
                while (true)
                {
                    if (_pos >= _end) throw Error("Unexpected end of data inside a dictionary that starts", begin);
                    if (_data[_pos] == (byte)'e') break;
                    int keyAt = _pos;
                    byte k = _data[_pos];
                    if (k < (byte)'0' || k > (byte)'9')
                        throw Error("Dictionary key is not a string (found " + Describe(k) + ")", keyAt);
                    if (++_items > _limits.MaxItems) throw Error("More than " + _limits.MaxItems + " values", _pos);
                    var key = ReadString();
                    if (_pos >= _end) throw Error("Unexpected end of data: dictionary key '" + Printable(key) + "' has no value", _pos);
                    if (_data[_pos] == (byte)'e') throw Error("Dictionary key '" + Printable(key) + "' has no value", _pos);
                    var value = ReadValue(depth + 1);
                    // BEP 3 wants sorted keys; torrents in the wild are sometimes not, so unsorted is accepted (the
                    // info-hash uses the exact bytes) but a repeated key is ambiguous and refused.
                    if (!dict.TryAdd(key, value)) throw Error("Duplicate dictionary key '" + Printable(key) + "'", keyAt);
                }
                _pos++; // 'e'
                dict.SetSource(begin, _pos - begin);
                return dict;
            }

            static string Describe(byte b) =>
                b >= 0x20 && b < 0x7f ? "'" + (char)b + "'" : "0x" + b.ToString("x2", CultureInfo.InvariantCulture);

            static string Printable(BString key)
            {
                var text = key.Text;
                if (text.Length > 40) text = text.Substring(0, 40) + "...";
                var chars = text.ToCharArray();
                for (int i = 0; i < chars.Length; i++) if (char.IsControl(chars[i])) chars[i] = '?';
                return new string(chars);
            }
        }
    }
}
