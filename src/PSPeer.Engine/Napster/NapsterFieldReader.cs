using System;
using System.Globalization;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// Walks the fields of a Napster payload: words separated by spaces, and double-quoted strings (file names,
    /// client ids) that may hold spaces. As in OpenNap, quotes are not escaped: a quoted field ends at the next quote.
    /// Every failure is a <see cref="NapsterProtocolException"/> naming what was expected.
    /// </summary>
    public struct NapsterFieldReader
    {
        readonly string _text;
        readonly string _message;
        int _pos;

        public NapsterFieldReader(string text, string message)
        {
            _text = text ?? "";
            _message = message;
            _pos = 0;
        }

        public bool AtEnd { get { SkipSpaces(); return _pos >= _text.Length; } }

        /// <summary>The next word, or null at the end.</summary>
        public string TryWord()
        {
            SkipSpaces();
            if (_pos >= _text.Length) return null;
            int start = _pos;
            while (_pos < _text.Length && _text[_pos] != ' ') _pos++;
            return _text.Substring(start, _pos - start);
        }

        public string Word(string field) => TryWord() ?? throw Fail($"{field} is missing");

        public string Quoted(string field)
        {
            SkipSpaces();
            if (_pos >= _text.Length || _text[_pos] != '"') throw Fail($"{field} must be a double-quoted string");
            int close = _text.IndexOf('"', _pos + 1);
            if (close < 0) throw Fail($"{field} has no closing quote");
            string value = _text.Substring(_pos + 1, close - _pos - 1);
            _pos = close + 1;
            return value;
        }

        /// <summary>A quoted string when the next field starts with a quote, else a word.</summary>
        public string QuotedOrWord(string field)
        {
            SkipSpaces();
            return _pos < _text.Length && _text[_pos] == '"' ? Quoted(field) : Word(field);
        }

        public long Long(string field, long min, long max)
        {
            string w = Word(field);
            if (!long.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
                throw Fail($"{field} '{Truncate(w)}' is not a number from {min} to {max}");
            return v;
        }

        public int Int(string field, int min, int max) => (int)Long(field, min, max);

        /// <summary>An optional trailing number: <paramref name="fallback"/> when the payload ends here.</summary>
        public long OptionalLong(string field, long min, long max, long fallback) => AtEnd ? fallback : Long(field, min, max);

        public NapsterProtocolException Fail(string what) => new NapsterProtocolException($"bad {_message} message: {what}");

        void SkipSpaces()
        {
            while (_pos < _text.Length && _text[_pos] == ' ') _pos++;
        }

        static string Truncate(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";
    }
}
