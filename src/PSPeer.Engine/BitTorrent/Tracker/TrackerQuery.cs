using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The parameters of a tracker request's query string, values kept as raw bytes: info_hash and peer_id are 20
    /// arbitrary bytes, percent-encoded. A '+' stays the byte '+' (BitTorrent clients percent-encode everything but
    /// unreserved characters, so a bare '+' is a sloppy encoder's 0x2B, not a form-encoded space).
    /// </summary>
    sealed class TrackerQuery
    {
        /// <summary>Most parameters one request may carry (a scrape of ~100 hashes fits in a request head anyway).</summary>
        public const int MaxParameters = 256;

        readonly List<KeyValuePair<string, byte[]>> _parameters = new List<KeyValuePair<string, byte[]>>();

        TrackerQuery() { }

        public IReadOnlyList<KeyValuePair<string, byte[]>> Parameters => _parameters;

        /// <summary>Parses the part after '?'; null query is empty. On failure returns null and says why.</summary>
        public static TrackerQuery Parse(string query, out string error)
        {
            var result = new TrackerQuery();
            error = null;
            if (string.IsNullOrEmpty(query)) return result;
            foreach (var pair in query.Split('&'))
            {
                if (pair.Length == 0) continue;
                if (result._parameters.Count == MaxParameters) { error = $"more than {MaxParameters} parameters"; return null; }
                int eq = pair.IndexOf('=');
                string rawName = eq < 0 ? pair : pair.Substring(0, eq);
                string rawValue = eq < 0 ? "" : pair.Substring(eq + 1);
                var nameBytes = UrlPath.DecodeBytes(rawName);
                var value = UrlPath.DecodeBytes(rawValue);
                if (nameBytes == null || value == null) { error = "bad percent-encoding in parameter '" + rawName + "'"; return null; }
                result._parameters.Add(new KeyValuePair<string, byte[]>(Encoding.ASCII.GetString(nameBytes), value));
            }
            return result;
        }

        /// <summary>The values given for <paramref name="name"/>, in order.</summary>
        public IEnumerable<byte[]> All(string name)
        {
            foreach (var p in _parameters)
                if (string.Equals(p.Key, name, StringComparison.Ordinal)) yield return p.Value;
        }

        /// <summary>The first value of <paramref name="name"/>, or null; <paramref name="count"/> says how often it appeared.</summary>
        public byte[] First(string name, out int count)
        {
            byte[] first = null;
            count = 0;
            foreach (var v in All(name))
            {
                if (count++ == 0) first = v;
            }
            return first;
        }

        /// <summary>The value as ASCII text (null when absent).</summary>
        public string Text(string name)
        {
            var v = First(name, out _);
            return v == null ? null : Encoding.ASCII.GetString(v);
        }
    }
}
